package io.github.grpcresilience.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.yaml.snakeyaml.Yaml;

/**
 * The manifests in {@code sample-app/k8s} parse, and their numbers agree with the application as
 * configured: probe port and service names, termination grace period longer than the starter's
 * drain delay plus grace period, and a headless Service selecting the Deployment's pods.
 */
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
