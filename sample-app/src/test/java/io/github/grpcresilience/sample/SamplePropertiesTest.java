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
}
