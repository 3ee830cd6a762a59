package io.github.grpcresilience.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.yaml.snakeyaml.Yaml;

/**
 * The manifests in {@code sample-app/k8s} parse, and their numbers agree with the application as
 * configured: probe port and service names, termination grace period longer than the starter's
 * drain delay plus grace period, a headless Service selecting the Deployment's pods, no readiness
 * that waits on the pods' own readiness, and probe thresholds that do not flap.
 */
@SuppressWarnings("unchecked")
class KubernetesManifestsTest {

    private static final Path K8S = Path.of("k8s");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(String file) throws IOException {
        try (InputStream in = Files.newInputStream(K8S.resolve(file))) {
            List<Object> documents = new ArrayList<>();
            new Yaml().loadAll(in).forEach(documents::add);
            assertThat(documents).hasSize(1);
            return (Map<String, Object>) documents.get(0);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            current = key.matches("\\d+") ? ((List<Object>) current).get(Integer.parseInt(key))
                    : ((Map<String, Object>) current).get(key);
            assertThat(current).as(String.join(".", path)).isNotNull();
        }
        return (T) current;
    }

    /** The sample's application.yml as Spring binds it. */
    private static Binder applicationYml() throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        for (PropertySource<?> source : new YamlPropertySourceLoader().load("application.yml",
                new ClassPathResource("application.yml"))) {
            environment.getPropertySources().addLast(source);
        }
        return new Binder(ConfigurationPropertySources.get(environment));
    }

    /** The sample's application.yml with the container's {@code --key=value} arguments on top, as the pod binds it. */
    private static Binder applicationInThePod(Map<String, Object> container) throws IOException {
        Map<String, Object> arguments = new LinkedHashMap<>();
        for (String argument : (List<String>) at(container, "args")) {
            assertThat(argument).startsWith("--").contains("=");
            int equals = argument.indexOf('=');
            arguments.put(argument.substring(2, equals), argument.substring(equals + 1));
        }
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("args", arguments));
        for (PropertySource<?> source : new YamlPropertySourceLoader().load("application.yml",
                new ClassPathResource("application.yml"))) {
            environment.getPropertySources().addLast(source);
        }
        return new Binder(ConfigurationPropertySources.get(environment));
    }

    /** The host of a gRPC target: {@code dns:///name:port}, {@code dns://authority/name:port} or {@code name:port}. */
    private static String host(String target) {
        String rest = target;
        if (rest.startsWith("dns:")) {
            rest = rest.substring("dns:".length());
            if (rest.startsWith("//")) {
                rest = rest.substring(rest.indexOf('/', 2) + 1);
            }
        }
        return rest.replaceFirst(":\\d+$", "");
    }

    /**
     * Readiness follows the grpcChannels health of every critical channel, and a headless Service
     * publishes only ready pods. A critical channel from the pods to their own Service is a cycle:
     * with every pod unready longer than the channel's grace, none can connect, so none can become
     * ready again. Every channel that targets the Service is non-critical, or the Service publishes
     * unready pods too.
     */
    @Test
    void noPodsReadinessWaitsOnAChannelToItsOwnService() throws IOException {
        Map<String, Object> deployment = load("deployment.yaml");
        Map<String, Object> service = load("service.yaml");
        Map<String, Object> container = at(deployment, "spec", "template", "spec", "containers", "0");
        String serviceName = at(service, "metadata", "name");
        Map<String, Object> spec = at(service, "spec");
        boolean publishesUnreadyPods = Boolean.TRUE.equals(spec.get("publishNotReadyAddresses"));
        Binder pod = applicationInThePod(container);
        // scalar values flatten: control-plane.address -> dns:///...
        Map<String, String> clients = pod.bind("grpc.client", Bindable.mapOf(String.class, String.class))
                .orElse(Map.of());
        boolean criticalByDefault = pod.bind("grpc.resilience.client.defaults.health.critical", Boolean.class)
                .orElse(true);

        List<String> toOwnService = new ArrayList<>();
        List<String> cycles = new ArrayList<>();
        clients.forEach((key, address) -> {
            if (!key.endsWith(".address")) {
                return;
            }
            String channel = key.substring(0, key.length() - ".address".length());
            String host = host(address);
            if (host.equals(serviceName) || host.startsWith(serviceName + ".")) {
                toOwnService.add(channel);
                boolean critical = pod.bind("grpc.resilience.client.channels." + channel + ".health.critical",
                        Boolean.class).orElse(criticalByDefault);
                if (critical && !publishesUnreadyPods) {
                    cycles.add(channel + " -> " + address);
                }
            }
        });
        assertThat(toOwnService).as("the sample's agent reaches the control plane through the Service")
                .contains("control-plane");
        assertThat(cycles).as("critical channels to the pods' own Service, which publishes only ready pods")
                .isEmpty();
        assertThat(host("dns:///grpc-resilience-sample:9090")).isEqualTo("grpc-resilience-sample");
        assertThat(host("dns://10.0.0.10/grpc-resilience-sample.default.svc:9090"))
                .isEqualTo("grpc-resilience-sample.default.svc");
    }

    /**
     * A probe fails on a timeout, and a JVM under GC or CPU throttling misses 1 s now and then:
     * every probe allows 2 s or more, readiness needs 3 misses in a row, and liveness (which
     * restarts the pod) is more forgiving than readiness in timeout, misses and time to act.
     */
    @Test
    void probeThresholdsDoNotFlap() throws IOException {
        Map<String, Object> container = at(load("deployment.yaml"), "spec", "template", "spec", "containers", "0");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat((Integer) at(container, probe, "timeoutSeconds")).as(probe + ".timeoutSeconds")
                    .isGreaterThanOrEqualTo(2);
            assertThat((Integer) at(container, probe, "periodSeconds")).as(probe + ".periodSeconds")
                    .isGreaterThan((Integer) at(container, probe, "timeoutSeconds") - 1);
        }
        int readinessPeriod = at(container, "readinessProbe", "periodSeconds");
        int readinessTimeout = at(container, "readinessProbe", "timeoutSeconds");
        int readinessMisses = at(container, "readinessProbe", "failureThreshold");
        int livenessPeriod = at(container, "livenessProbe", "periodSeconds");
        int livenessTimeout = at(container, "livenessProbe", "timeoutSeconds");
        int livenessMisses = at(container, "livenessProbe", "failureThreshold");
        assertThat(readinessPeriod).as("readinessProbe.periodSeconds").isGreaterThanOrEqualTo(5);
        assertThat(readinessMisses).as("readinessProbe.failureThreshold").isGreaterThanOrEqualTo(3);
        assertThat(livenessTimeout).as("livenessProbe.timeoutSeconds").isGreaterThanOrEqualTo(readinessTimeout);
        assertThat(livenessMisses).as("livenessProbe.failureThreshold").isGreaterThanOrEqualTo(readinessMisses);
        assertThat(livenessPeriod * livenessMisses).as("seconds before a restart")
                .isGreaterThan(readinessPeriod * readinessMisses);
        Object successThreshold = ((Map<String, Object>) container.get("readinessProbe")).get("successThreshold");
        assertThat(successThreshold == null ? 1 : (Integer) successThreshold).isEqualTo(1);
    }

    @Test
    void probesAskTheStartersHealthServiceNamesOnTheGrpcPort() throws IOException {
        Binder application = applicationYml();
        int grpcPort = application.bind("grpc.server.port", Integer.class).get();
        GrpcResilienceProperties.Server server = application.bind(GrpcResilienceProperties.PREFIX,
                GrpcResilienceProperties.class).orElseGet(GrpcResilienceProperties::new).getServer();
        Map<String, Object> container = at(load("deployment.yaml"), "spec", "template", "spec", "containers", "0");

        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat((Integer) at(container, probe, "grpc", "port")).as(probe).isEqualTo(grpcPort);
            assertThat(server.getHealth().getServices()).containsKey(at(container, probe, "grpc", "service"));
        }
        assertThat((String) at(container, "livenessProbe", "grpc", "service")).isEqualTo("liveness");
        assertThat((String) at(container, "readinessProbe", "grpc", "service")).isEqualTo("readiness");
        assertThat((Integer) at(container, "ports", "0", "containerPort")).isEqualTo(grpcPort);
    }

    @Test
    void terminationGracePeriodCoversTheDrainDelayAndTheGracePeriod() throws IOException {
        GrpcResilienceProperties.Server.Shutdown shutdown = applicationYml().bind(GrpcResilienceProperties.PREFIX,
                GrpcResilienceProperties.class).orElseGet(GrpcResilienceProperties::new).getServer().getShutdown();
        int terminationGrace = at(load("deployment.yaml"), "spec", "template", "spec",
                "terminationGracePeriodSeconds");
        assertThat((long) terminationGrace)
                .isGreaterThan(shutdown.getDrainDelay().plus(shutdown.getGracePeriod()).toSeconds());
        // ... and the pod tells the starter, whose startup check then holds it for any later change
        Map<String, Object> container = at(load("deployment.yaml"), "spec", "template", "spec", "containers", "0");
        assertThat(applicationInThePod(container).bind(GrpcResilienceProperties.PREFIX
                + ".server.shutdown.termination-grace-period", Duration.class).get())
                .isEqualTo(Duration.ofSeconds(terminationGrace));
    }

    @Test
    void aHeadlessServiceSelectsTheDeploymentsPodsOnTheGrpcPort() throws IOException {
        Map<String, Object> deployment = load("deployment.yaml");
        Map<String, Object> service = load("service.yaml");
        assertThat((String) at(service, "kind")).isEqualTo("Service");
        assertThat((String) at(service, "spec", "clusterIP")).isEqualTo("None");
        Map<String, Object> podLabels = at(deployment, "spec", "template", "metadata", "labels");
        assertThat(podLabels).containsAllEntriesOf(at(service, "spec", "selector"));
        assertThat((Map<String, Object>) at(deployment, "spec", "selector", "matchLabels"))
                .isEqualTo(at(service, "spec", "selector"));
        assertThat((String) at(service, "spec", "ports", "0", "targetPort")).isEqualTo("grpc");
        assertThat((Integer) at(service, "spec", "ports", "0", "port"))
                .isEqualTo(at(deployment, "spec", "template", "spec", "containers", "0", "ports", "0", "containerPort"));
        String address = ((List<String>) at(deployment, "spec", "template", "spec", "containers", "0", "args")).get(0);
        assertThat(address).endsWith("dns:///" + at(service, "metadata", "name") + ":" + at(service, "spec", "ports",
                "0", "port"));
    }
}
