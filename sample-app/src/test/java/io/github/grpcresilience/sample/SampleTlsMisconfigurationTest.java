package io.github.grpcresilience.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The sample started as a user starts it, with the {@code tls} profile and its certificates
 * missing (the build not run, or the jar started from another directory): the startup fails with
 * Spring Boot's failure report naming the property, the resolved path and the working directory.
 */
@ExtendWith(OutputCaptureExtension.class)
class SampleTlsMisconfigurationTest {

    private static final Path MISSING = Path.of("target", "no-tls-here").toAbsolutePath();

    private static void start(String profiles, String... more) {
        List<String> args = new ArrayList<>(List.of("--spring.profiles.active=" + profiles,
                "--sample.tls.dir=target/no-tls-here", "--server.port=0",
                "--spring.main.banner-mode=off"));
        args.addAll(List.of(more));
        SpringApplication.run(SampleApplication.class, args.toArray(String[]::new));
    }

    @Test
    void controlPlaneWithoutItsCertificateDoesNotStart(CapturedOutput output) {
        // every configured channel is checked, also in the server profile: give the agent's channel its files
        String agent = "--grpc.client.control-plane.security.";
        assertThatThrownBy(() -> start("server,tls", "--grpc.server.port=0", agent + "trust-cert-collection=file:target/tls/ca.pem",
                agent + "certificate-chain=file:target/tls/agent.pem", agent + "private-key=file:target/tls/agent.key"))
                .isInstanceOf(RuntimeException.class);
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
                .contains("Property: grpc.server.security.certificate-chain")
                .contains("Value: file:target/no-tls-here/server.pem")
                .contains("Reason: it does not exist: " + MISSING.resolve("server.pem"))
                .contains("A relative file: path is resolved against the working directory ("
                        + System.getProperty("user.dir") + ").");
    }

    @Test
    void agentWithoutItsTrustFileDoesNotStart(CapturedOutput output) {
        assertThatThrownBy(() -> start("client,tls")).isInstanceOf(RuntimeException.class);
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
                .contains("Property: grpc.client.control-plane.security.trust-cert-collection")
                .contains("Reason: it does not exist: " + MISSING.resolve("ca.pem"));
    }
}
