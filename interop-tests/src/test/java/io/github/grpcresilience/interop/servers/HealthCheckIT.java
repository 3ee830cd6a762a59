package io.github.grpcresilience.interop.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.testing.TestCertificates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Client-side health checking against two Python or two Go backends behind one multi-address
 * target, one of them reporting NOT_SERVING through its own grpc.health.v1 service (Python's hand
 * written, Go's {@code google.golang.org/grpc/health}): with the starter's {@code health-check.enabled}
 * and its default {@code round_robin}, no call reaches that backend. A channel to the same two
 * backends without health checking reaches both, so the backend is up and answering. Plaintext
 * and TLS.
 */
class HealthCheckIT {

    private static final int CALLS = 100;
    /** Time for both connections of the unchecked channel to be used. */
    private static final Duration BOTH_USED = Duration.ofSeconds(15);

    static Stream<Arguments> cases() {
        return Stream.of(PeerLanguage.values())
                .flatMap(language -> Stream.of(Arguments.of(language, false), Arguments.of(language, true)));
    }

    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "{0}, TLS {1}")
    @MethodSource("cases")
    void noCallReachesTheNotServingBackend(PeerLanguage language, boolean tls) throws Exception {
        String prefix = language.id() + (tls ? "-tls" : "-plain");
        TestCertificates certificates = tls ? TestCertificates.generate() : null;
        PeerServer serving = PeerServer.of(language, prefix + "-serving");
        PeerServer notServing = PeerServer.of(language, prefix + "-not-serving").notServing();
        if (tls) {
            serving = serving.withTls(certificates);
            notServing = notServing.withTls(certificates);
        }
        String checked = prefix + "-checked";
        String unchecked = prefix + "-unchecked";
        try (PeerServer up = serving.start(); PeerServer down = notServing.start()) {
            Map<String, String> properties = new LinkedHashMap<>();
            properties.putAll(StarterClient.channel(checked, certificates, up, down));
            properties.putAll(StarterClient.channel(unchecked, certificates, up, down));
            properties.put("grpc.resilience.client.channels." + checked + ".health-check.enabled", "true");
            try (StarterClient client = StarterClient.start(properties)) {
                Set<String> answeredUnchecked = ConcurrentHashMap.newKeySet();
                await("both backends answering on " + unchecked).atMost(BOTH_USED).until(() -> {
                    answeredUnchecked.add(backend(PeerMethods.echo(client.channel(unchecked), "hello")));
                    return answeredUnchecked.size() == 2;
                });
                assertThat(answeredUnchecked).containsExactlyInAnyOrder(up.name(), down.name());

                List<String> answeredChecked = new ArrayList<>();
                for (int i = 0; i < CALLS; i++) {
                    answeredChecked.add(backend(PeerMethods.echo(client.channel(checked), "call " + i)));
                }
                assertThat(answeredChecked).hasSize(CALLS).containsOnly(up.name());
            }
        }
    }

    /** The backend an Echo answer names ({@code "<name>:<request>"}). */
    private static String backend(String answer) {
        return answer.substring(0, answer.indexOf(':'));
    }
}
