package io.github.grpcresilience.boot4.benchmarks;

import io.github.grpcresilience.stream.ResilientStream;
import io.github.grpcresilience.stream.StreamState;
import io.github.grpcresilience.stream.StreamSupervisor;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.grpc.client.GrpcChannelFactory;

/**
 * The client side of the stream-recovery benchmark, in its side's JVM: N bidi subscription streams
 * over one channel from Spring Boot's {@link GrpcChannelFactory} to an echo server; with the
 * starter each is a {@link StreamSupervisor} stream (defaults), plain each is the re-subscribe loop
 * applications usually write (on error, subscribe again after 1 s). Protocol: {@code STREAMING
 * <heap bytes per stream>} once every stream has a message; {@code BROKEN} once every stream has
 * noticed the server stop; on {@code READY} (the server is back) {@code RECOVERED <seconds>} when
 * the last stream has a message again (or {@code -} after 120 s).
 */
final class RecoveryClient {

    private static final long CAP_NANOS = TimeUnit.SECONDS.toNanos(120);
    private static final long RESUBSCRIBE_DELAY_MILLIS = 1000;
    private static final SimpleRequest HELLO = SimpleRequest.newBuilder().setRequestMessage("hello").build();

    private RecoveryClient() {
    }

    /** One stream's last message time and whether it noticed the outage. */
    private record Subscription(AtomicLong lastMessage, BooleanSupplier broken) {
    }

    /** Args: side, port, number of streams. */
    public static void main(String[] args) throws Exception {
        Side side = Side.valueOf(args[0]);
        int count = Integer.parseInt(args[2]);
        ConfigurableApplicationContext context = SideApplication.run(side, new Class<?>[] {SideApplication.class},
                "spring.grpc.client.channel.echo.target=127.0.0.1:" + args[1]);
        SimpleServiceGrpc.SimpleServiceStub stub = SimpleServiceGrpc.newStub(
                context.getBean(GrpcChannelFactory.class).createChannel("echo"));
        ScheduledExecutorService loopScheduler = Executors.newSingleThreadScheduledExecutor();
        long heapBefore = usedHeap();
        List<Subscription> subscriptions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            AtomicLong last = new AtomicLong();
            if (side == Side.STARTER) {
                ResilientStream<SimpleRequest, SimpleResponse> stream = context.getBean(StreamSupervisor.class)
                        .<SimpleRequest, SimpleResponse>bidi("subscription-" + i, "echo")
                        .open(stub::bidiStreamingRpc).onReconnect(out -> out.send(HELLO))
                        .onMessage(message -> last.set(System.nanoTime())).start();
                subscriptions.add(new Subscription(last, () -> stream.state() != StreamState.HEALTHY));
            } else {
                ResubscribeLoop loop = new ResubscribeLoop(stub, loopScheduler, last);
                loop.subscribe();
                subscriptions.add(new Subscription(last, loop.failed::get));
            }
        }
        waitUntil(() -> subscriptions.stream().allMatch(s -> s.lastMessage().get() > 0), CAP_NANOS);
        SideApplication.report(String.format(Locale.ROOT, "STREAMING %.0f", (usedHeap() - heapBefore) / (double) count));
        waitUntil(() -> subscriptions.stream().allMatch(s -> s.broken().getAsBoolean()), CAP_NANOS);
        SideApplication.report("BROKEN");
        SideApplication.awaitCommand("READY");
        long ready = System.nanoTime();
        boolean all = waitUntil(() -> subscriptions.stream().allMatch(s -> s.lastMessage().get() > ready), CAP_NANOS);
        long latest = subscriptions.stream().mapToLong(s -> s.lastMessage().get()).max().orElse(ready);
        SideApplication.report("RECOVERED " + (all ? String.format(Locale.ROOT, "%.2f", (latest - ready) / 1e9) : "-"));
        Runtime.getRuntime().halt(0);
    }

    /** What applications usually write: on error, subscribe again after a fixed delay. */
    private static final class ResubscribeLoop {
        private final SimpleServiceGrpc.SimpleServiceStub stub;
        private final ScheduledExecutorService scheduler;
        private final AtomicLong lastMessage;
        final AtomicBoolean failed = new AtomicBoolean();

        ResubscribeLoop(SimpleServiceGrpc.SimpleServiceStub stub, ScheduledExecutorService scheduler, AtomicLong lastMessage) {
            this.stub = stub;
            this.scheduler = scheduler;
            this.lastMessage = lastMessage;
        }

        void subscribe() {
            stub.bidiStreamingRpc(new StreamObserver<SimpleResponse>() {
                @Override
                public void onNext(SimpleResponse value) {
                    lastMessage.set(System.nanoTime());
                }

                @Override
                public void onError(Throwable t) {
                    failed.set(true);
                    scheduler.schedule(ResubscribeLoop.this::subscribe, RESUBSCRIBE_DELAY_MILLIS, TimeUnit.MILLISECONDS);
                }

                @Override
                public void onCompleted() {
                }
            }).onNext(HELLO);
        }
    }

    /** Polls every 10 ms; returns whether the condition held before the timeout. */
    private static boolean waitUntil(BooleanSupplier condition, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
