package io.github.grpcresilience.boot4.benchmarks;

import io.github.grpcresilience.testing.QuietStream;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.springframework.grpc.client.GrpcChannelFactory;

/**
 * The client side of the dead-peer benchmark, in its side's JVM: channels from Spring Boot's
 * {@link GrpcChannelFactory} to a plaintext and a TLS server ({@code spring.grpc.client.channel.*}
 * properties only: target, and for TLS an SSL bundle trusting the test CA). Per connection it holds
 * a quiet stream and an idle READY channel; on {@code ENGAGED} (the black hole is in place) it
 * times each until the client notices and prints {@code NOTICED connection|case|seconds|what}.
 * An idle channel notices when it loses its transport (CONNECTING or TRANSIENT_FAILURE); Spring
 * Boot's 20 s idle timeout moving it to IDLE is reported beside, not counted: it closes the
 * connection whatever the peer's state, and an IDLE channel has no transport left to notice with.
 */
final class DeadPeerClient {

    static final long CAP_SECONDS = 120;
    private static final long POLL_MILLIS = 100;

    private DeadPeerClient() {
    }

    /** Args: side, plaintext port, TLS port, CA certificate file. */
    public static void main(String[] args) throws Exception {
        Side side = Side.valueOf(args[0]);
        List<String> properties = new ArrayList<>(List.of("spring.ssl.bundle.pem.ca.truststore.certificate=file:" + args[3]));
        for (String kind : List.of("stream", "idle")) {
            properties.add("spring.grpc.client.channel.plaintext-" + kind + ".target=127.0.0.1:" + args[1]);
            properties.add("spring.grpc.client.channel.tls-" + kind + ".target=127.0.0.1:" + args[2]);
            properties.add("spring.grpc.client.channel.tls-" + kind + ".ssl.bundle=ca");
        }
        GrpcChannelFactory factory = SideApplication.run(side, new Class<?>[] {SideApplication.class},
                properties.toArray(String[]::new)).getBean(GrpcChannelFactory.class);
        List<String> connections = List.of("plaintext", "TLS");
        List<CompletableFuture<Status>> streams = new ArrayList<>();
        List<ManagedChannel> idles = new ArrayList<>();
        for (String connection : connections) {
            String prefix = connection.toLowerCase(Locale.ROOT);
            streams.add(QuietStream.open(factory.createChannel(prefix + "-stream")));
            ManagedChannel idle = factory.createChannel(prefix + "-idle");
            SimpleServiceGrpc.newBlockingStub(idle).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .unaryRpc(SimpleRequest.getDefaultInstance());
            idles.add(idle);
        }
        SideApplication.report("OPEN");
        SideApplication.awaitCommand("ENGAGED");
        long engaged = System.nanoTime();
        // one thread per case: each polls for up to the cap, and all start at once
        ExecutorService measurers = Executors.newCachedThreadPool();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < connections.size(); i++) {
            String connection = connections.get(i);
            CompletableFuture<Status> stream = streams.get(i);
            ManagedChannel idle = idles.get(i);
            all.add(CompletableFuture.runAsync(() -> measure(connection + "|stream", engaged, stream::isDone,
                    () -> describe(stream.join())), measurers));
            all.add(CompletableFuture.runAsync(() -> measureIdle(connection + "|idle channel", engaged, idle), measurers));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(CAP_SECONDS + 30, TimeUnit.SECONDS);
        SideApplication.report("DONE");
        // no orderly shutdown: channels to a black hole would hold the JVM for their grace period
        Runtime.getRuntime().halt(0);
    }

    /** Polls every 100 ms until the condition holds or the cap is reached. */
    private static void measure(String key, long since, BooleanSupplier noticed, Supplier<String> seen) {
        measure(key, since, noticed, seen, () -> "");
    }

    private static void measure(String key, long since, BooleanSupplier noticed, Supplier<String> seen,
            Supplier<String> notNoticed) {
        long deadline = since + TimeUnit.SECONDS.toNanos(CAP_SECONDS);
        while (System.nanoTime() < deadline) {
            if (noticed.getAsBoolean()) {
                SideApplication.report(String.format(Locale.ROOT, "NOTICED %s|%.1f|%s", key,
                        (System.nanoTime() - since) / 1e9, seen.get()));
                return;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        SideApplication.report("NOTICED " + key + "|-|not noticed within " + CAP_SECONDS + " s" + notNoticed.get());
    }

    private static void measureIdle(String key, long since, ManagedChannel channel) {
        AtomicLong wentIdle = new AtomicLong(-1);
        measure(key, since, () -> {
            ConnectivityState state = channel.getState(false);
            if (state == ConnectivityState.IDLE) {
                wentIdle.compareAndSet(-1, System.nanoTime());
            }
            return state == ConnectivityState.CONNECTING || state == ConnectivityState.TRANSIENT_FAILURE;
        }, () -> "left READY for " + channel.getState(false) + idleNote(since, wentIdle.get()), () -> idleNote(since, wentIdle.get()));
    }

    private static String idleNote(long since, long wentIdle) {
        return wentIdle < 0 ? "" : String.format(Locale.ROOT, "; IDLE (idle timeout) at %.1f s", (wentIdle - since) / 1e9);
    }

    private static String describe(Status status) {
        return status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
    }
}
