package io.github.grpcresilience.sample;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SamplePropertiesTest {

    @Test
    void aConfigCheckIntervalThatIsNotPositiveIsRefusedNamingTheProperty() {
        SampleProperties properties = new SampleProperties();
        assertThatIllegalArgumentException().isThrownBy(() -> properties.setConfigCheckInterval(Duration.ZERO))
                .withMessageContaining("sample.config-check-interval must be positive");
        properties.setConfigCheckInterval(null);
        properties.setConfigCheckInterval(Duration.ofMillis(500));
    }

    @Test
    void aPushIntervalThatIsNotPositiveIsRefusedNamingTheProperty() {
        SampleProperties properties = new SampleProperties();
        assertThatIllegalArgumentException().isThrownBy(() -> properties.setPushInterval(Duration.ofSeconds(-1)))
                .withMessageContaining("sample.push-interval must be positive");
        properties.setPushInterval(Duration.ofMillis(200));
    }

    @Test
    void aBlankAgentIdIsRefusedNamingTheProperty() {
        SampleProperties properties = new SampleProperties();
        assertThatIllegalArgumentException().isThrownBy(() -> properties.setAgentId(" "))
                .withMessageContaining("sample.agent-id must not be blank");
        properties.setAgentId("agent-2");
    }
}
