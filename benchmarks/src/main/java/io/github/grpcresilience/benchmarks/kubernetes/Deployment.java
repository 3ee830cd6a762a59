package io.github.grpcresilience.benchmarks.kubernetes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Deployment and the parts of Kubernetes that move its endpoints: a new pod gets the next
 * address of its subnet and is published in the Service's DNS once its readiness probe passes; a
 * deleted pod leaves the DNS and gets SIGTERM at the same moment, and SIGKILL when the
 * termination grace period runs out.
 */
final class Deployment implements AutoCloseable {

    private static final Duration EXIT_MARGIN = Duration.ofSeconds(5);

    private final Manifests manifests;
    private final ServiceDns dns;
    private final Path sampleJar;
    private final int port;
    private final String subnet;
    private final Path logs;
    private final AtomicInteger nextHost = new AtomicInteger(1);
    private final List<Pod> pods = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService kubelet = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "kubelet");
        thread.setDaemon(true);
        return thread;
    });

    /** Pods get {@code subnet + 1}, {@code subnet + 2}, …: {@code subnet} is like {@code "127.23.1."}. */
    Deployment(Manifests manifests, ServiceDns dns, Path sampleJar, int port, String subnet, Path logs) {
        this.manifests = manifests;
        this.dns = dns;
        this.sampleJar = sampleJar;
        this.port = port;
        this.subnet = subnet;
        this.logs = logs;
    }

    /** Creates the pods at once; each is published as soon as it is ready; returns when all are. */
    List<Pod> scaleUp(int count) throws Exception {
        List<Pod> created = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            created.add(Pod.start(sampleJar, subnet + nextHost.getAndIncrement(), port, manifests, logs));
        }
        pods.addAll(created);
        ExecutorService probes = Executors.newFixedThreadPool(count);
        try {
            List<Future<?>> ready = new ArrayList<>();
            for (Pod pod : created) {
                ready.add(probes.submit(() -> {
                    pod.awaitReady(manifests);
                    dns.publish(pod.address);
                    return null;
                }));
            }
            for (Future<?> future : ready) {
                future.get();
            }
        } finally {
            probes.shutdownNow();
        }
        return created;
    }

    /** Deletes the pod: out of the endpoints and SIGTERM at the same moment, SIGKILL after the grace period. */
    void terminate(Pod pod) {
        long at = dns.unpublish(pod.address);
        pod.sigterm(at < 0 ? System.currentTimeMillis() : at);
        kubelet.schedule(pod::sigkill, manifests.terminationGracePeriod().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until the pods have exited: by themselves, or by the kubelet's SIGKILL. */
    void awaitExit(Collection<Pod> terminated) throws InterruptedException {
        for (Pod pod : terminated) {
            if (!pod.awaitExit(manifests.terminationGracePeriod().plus(EXIT_MARGIN))) {
                throw new IllegalStateException("pod " + pod.address + " still running after SIGKILL");
            }
        }
    }

    /** Pods not deleted yet, oldest first. */
    List<Pod> running() {
        return pods.stream().filter(pod -> pod.terminating() < 0 && pod.alive()).toList();
    }

    @Override
    public void close() {
        kubelet.shutdownNow();
        pods.forEach(Pod::sigkill);
    }
}
