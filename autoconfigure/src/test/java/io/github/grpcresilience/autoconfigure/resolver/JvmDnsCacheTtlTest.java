package io.github.grpcresilience.autoconfigure.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.grpcresilience.autoconfigure.InvalidGrpcResiliencePropertyException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.logging.impl.NoOpLog;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

/**
 * When the starter sets the JVM's DNS cache TTL and what it says; on a stand-in for the two JVM
 * settings, so that the test JVM's own stay as they are. That the JVM honours the setting is shown
 * by {@code DnsHostsFileTest}, in a JVM of its own.
 */
class JvmDnsCacheTtlTest {

    private final FakeJvm jvm = new FakeJvm();
    private final RecordingLog log = new RecordingLog();

    private void run(String... properties) {
        MockEnvironment environment = new MockEnvironment();
        for (String property : properties) {
            String[] pair = property.split("=", 2);
            environment.setProperty(pair[0], pair[1]);
        }
        new JvmDnsCacheTtl(log, jvm).postProcessEnvironment(environment, new SpringApplication());
    }

    @Test
    void setsFiveSecondsWhereTheJvmKeepsItsDefaultAndSaysSo() {
        run();
        assertThat(jvm.security).isEqualTo("5");
        assertThat(log.infos).singleElement().asString()
                .contains("networkaddress.cache.ttl) to 5s from the JVM's default of 30s")
                .contains("grpc.resilience.client.jvm-dns-cache.enabled=false");
        assertThat(log.warnings).isEmpty();
    }

    @Test
    void setsTheConfiguredTtl() {
        run("grpc.resilience.client.jvm-dns-cache.ttl=2s");
        assertThat(jvm.security).isEqualTo("2");
    }

    @Test
    void leavesTheJvmAloneWhenDisabledOrTheStarterIs() {
        run("grpc.resilience.client.jvm-dns-cache.enabled=false");
        run("grpc.resilience.enabled=false");
        assertThat(jvm.security).isNull();
        assertThat(log.infos).isEmpty();
    }

    @Test
    void neverOverridesTheApplicationsSettingAndWarnsWhereItIsLonger() {
        jvm.system = "30";
        run();
        assertThat(jvm.security).as("-Dsun.net.inetaddr.ttl is the application's").isNull();
        assertThat(log.warnings).singleElement().asString()
                .contains("for 30s (-Dsun.net.inetaddr.ttl=30)").contains("Lower it to 5");

        jvm.security = "-1";
        run();
        assertThat(jvm.security).isEqualTo("-1");
        assertThat(log.warnings).last().asString().contains("forever (networkaddress.cache.ttl=-1)");
    }

    @Test
    void saysNothingWhereTheApplicationsSettingIsAsShort() {
        jvm.security = "3";
        run();
        jvm.security = "5";
        run();
        assertThat(jvm.security).isEqualTo("5");
        assertThat(log.infos).isEmpty();
        assertThat(log.warnings).isEmpty();
    }

    @Test
    void refusesTtlsTheJvmCannotTake() {
        assertThatThrownBy(() -> run("grpc.resilience.client.jvm-dns-cache.ttl=1500ms"))
                .isInstanceOfSatisfying(InvalidGrpcResiliencePropertyException.class, e -> {
                    assertThat(e.getProperty()).isEqualTo("grpc.resilience.client.jvm-dns-cache.ttl");
                    assertThat(e.getProblem()).isEqualTo("the JVM takes its DNS cache TTL in whole seconds");
                });
        assertThatThrownBy(() -> run("grpc.resilience.client.jvm-dns-cache.ttl=-1s"))
                .isInstanceOf(InvalidGrpcResiliencePropertyException.class)
                .hasMessageContaining("it must be zero or a positive duration");
        assertThat(jvm.security).isNull();
    }

    private static final class FakeJvm implements JvmDnsCacheTtl.JvmSettings {
        String security;
        String system;

        @Override
        public String securityProperty() {
            return security;
        }

        @Override
        public String systemProperty() {
            return system;
        }

        @Override
        public void setSecurityProperty(String value) {
            security = value;
        }
    }

    private static final class RecordingLog extends NoOpLog {
        final List<Object> infos = new ArrayList<>();
        final List<Object> warnings = new ArrayList<>();

        @Override
        public void info(Object message) {
            infos.add(message);
        }

        @Override
        public void warn(Object message) {
            warnings.add(message);
        }
    }
}
