package io.github.grpcresilience.benchmarks.kubernetes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * What the simulation takes from {@code sample-app/k8s}, so that it runs the sample the way its
 * manifests deploy it: the headless Service's name and port, the container's arguments (among
 * them the clients' {@code dns:///} target), the termination grace period before the kubelet's
 * SIGKILL, the readiness probe's health service name, and the startup probe's period (how often
 * a starting pod is asked whether it is ready).
 *
 * @param serviceName the headless Service, the name clients resolve
 * @param servicePort the Service's (and the container's) gRPC port
 * @param target the clients' target from the container arguments, {@code dns:///<service>:<port>}
 * @param containerArgs the container's arguments, passed to every pod
 * @param terminationGracePeriod time from SIGTERM to the kubelet's SIGKILL
 * @param readinessService the grpc.health.v1 service name the readiness probe asks
 * @param probePeriod the startup probe's period
 */
record Manifests(String serviceName, int servicePort, String target, List<String> containerArgs,
        Duration terminationGracePeriod, String readinessService, Duration probePeriod) {

    private static final String TARGET_ARGUMENT = "--grpc.client.control-plane.address=";

    /** Reads {@code deployment.yaml} and {@code service.yaml} from the directory. */
    static Manifests load(Path directory) throws IOException {
        Map<String, Object> deployment = yaml(directory.resolve("deployment.yaml"));
        Map<String, Object> service = yaml(directory.resolve("service.yaml"));
        if (!"None".equals(at(service, "spec", "clusterIP"))) {
            throw new IllegalStateException("the simulation models a headless Service (clusterIP: None)");
        }
        Map<String, Object> pod = at(deployment, "spec", "template", "spec");
        Map<String, Object> container = at(pod, "containers", "0");
        List<String> args = at(container, "args");
        String serviceName = at(service, "metadata", "name");
        int servicePort = at(service, "spec", "ports", "0", "port");
        String target = args.stream().filter(arg -> arg.startsWith(TARGET_ARGUMENT)).findFirst()
                .map(arg -> arg.substring(TARGET_ARGUMENT.length()))
                .orElseThrow(() -> new IllegalStateException("no " + TARGET_ARGUMENT + " in deployment.yaml"));
        if (!target.equals("dns:///" + serviceName + ":" + servicePort)) {
            throw new IllegalStateException("deployment.yaml's target " + target + " is not the Service "
                    + serviceName + ":" + servicePort);
        }
        return new Manifests(serviceName, servicePort, target, List.copyOf(args),
                Duration.ofSeconds((Integer) at(pod, "terminationGracePeriodSeconds")),
                at(container, "readinessProbe", "grpc", "service"),
                Duration.ofSeconds((Integer) at(container, "startupProbe", "periodSeconds")));
    }

    /** The clients' target with the Service's port replaced by the one the pods listen on here. */
    String target(int port) {
        return "dns:///" + serviceName + ":" + port;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return (Map<String, Object>) new Yaml().load(in);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            current = key.matches("\\d+") ? ((List<Object>) current).get(Integer.parseInt(key))
                    : ((Map<String, Object>) current).get(key);
            if (current == null) {
                throw new IllegalStateException("manifest has no " + String.join(".", path));
            }
        }
        return (T) current;
    }
}
