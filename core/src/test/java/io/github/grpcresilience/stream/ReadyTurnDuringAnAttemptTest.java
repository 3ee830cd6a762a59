package io.github.grpcresilience.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A channel that turns READY while a stream's re-open is under way finds no stream waiting; if that
 * attempt then fails (it started before the turn), the stream must still be re-opened at once, not
 * after its next backoff. Real Netty on loopback; the attempt's failure is held back on its call's
 * executor (as a busy gRPC executor would) until the supervisor has seen the channel turn READY.
 */
class ReadyTurnDuringAnAttemptTest {

    /** A fixed 2 s backoff, so a missed turn costs 2 s; no check interval in the way (the test turns the channel). */
    private static final StreamSettings SETTINGS = new StreamSettings(
            new ReconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(2), 1, 0), 0, Duration.ofMinutes(1),
            Duration.ofSeconds(10), StreamSettings.DEFAULT.retryableCodes(), 10, OverflowPolicy.FAIL, Duration.ZERO);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final HeldExecutor held = new HeldExecutor();
    private final CountDownLatch supervisorSawReady = new CountDownLatch(1);
    private RecordingServer server;
    private ManagedChannel channel;
    private StreamSupervisor supervisor;

    @AfterEach
    void stop() throws Exception {
        if (supervisor != null) {
            supervisor.close();
        }
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
        scheduler.shutdownNow();
    }

    @Test
    void anAttemptThatFailsAfterItsChannelTurnedReadyIsFollowedAtOnceNotAfterTheBackoff() throws Exception {
        server = RecordingServer.onFreePort(UnaryOperator.identity()).start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        ManagedChannel watched = new StateCallbackSignal(channel, state -> {
            if (state == ConnectivityState.READY) {
                supervisorSawReady.countDown();
            }
        });
        supervisor = new StreamSupervisor(name -> SETTINGS, name -> Optional.of(watched), scheduler, 100, () -> 0.5,
                System::nanoTime, Clock.systemUTC());
        AtomicInteger opens = new AtomicInteger();
        ResilientStream<SimpleRequest, SimpleResponse> stream = supervisor
                .<SimpleRequest, SimpleResponse>bidi("config-updates", "control-plane")
                .open(responses -> {
                    SimpleServiceGrpc.SimpleServiceStub stub = SimpleServiceGrpc.newStub(channel);
                    // the first re-open after the server stopped: its callbacks wait on the held executor
                    return (opens.incrementAndGet() == 2 ? stub.withExecutor(held) : stub).bidiStreamingRpc(responses);
                })
                .onMessage(response -> { })
                .start();
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.state() == StreamState.HEALTHY);

        server.stop();
        await("the re-open's failure, held").atMost(Duration.ofSeconds(15)).until(() -> held.heldCount() > 0);
        server.start();
        channel.resetConnectBackoff();
        channel.getState(true);
        assertThat(supervisorSawReady.await(10, TimeUnit.SECONDS))
                .as("the supervisor watched the channel through the attempt and saw it turn READY").isTrue();
        long released = System.nanoTime();
        held.release();

        await().atMost(Duration.ofSeconds(10)).until(() -> stream.state() == StreamState.HEALTHY);
        assertThat(Duration.ofNanos(System.nanoTime() - released)).as("back without waiting the 2 s backoff")
                .isLessThan(Duration.ofSeconds(1));
        assertThat(opens).hasValue(3);
    }

    /** Holds the tasks it is given until released, then runs them in order and every later one at once. */
    private static final class HeldExecutor implements Executor {
        private final List<Runnable> tasks = new ArrayList<>();
        private boolean released;

        @Override
        public void execute(Runnable task) {
            synchronized (this) {
                if (!released) {
                    tasks.add(task);
                    return;
                }
            }
            task.run();
        }

        synchronized int heldCount() {
            return tasks.size();
        }

        void release() {
            List<Runnable> due;
            synchronized (this) {
                released = true;
                due = List.copyOf(tasks);
                tasks.clear();
            }
            due.forEach(Runnable::run);
        }
    }

    /**
     * The real channel, telling the test the channel's state right after each state-change callback
     * returned: by then the supervisor's callback has queued its look at the channel.
     */
    private static final class StateCallbackSignal extends ManagedChannel {
        private final ManagedChannel delegate;
        private final Consumer<ConnectivityState> afterCallback;

        StateCallbackSignal(ManagedChannel delegate, Consumer<ConnectivityState> afterCallback) {
            this.delegate = delegate;
            this.afterCallback = afterCallback;
        }

        @Override
        public void notifyWhenStateChanged(ConnectivityState source, Runnable callback) {
            delegate.notifyWhenStateChanged(source, () -> {
                callback.run();
                afterCallback.accept(delegate.getState(false));
            });
        }

        @Override
        public ConnectivityState getState(boolean requestConnection) {
            return delegate.getState(requestConnection);
        }

        @Override
        public void resetConnectBackoff() {
            delegate.resetConnectBackoff();
        }

        @Override
        public void enterIdle() {
            delegate.enterIdle();
        }

        @Override
        public ManagedChannel shutdown() {
            return delegate.shutdown();
        }

        @Override
        public boolean isShutdown() {
            return delegate.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return delegate.isTerminated();
        }

        @Override
        public ManagedChannel shutdownNow() {
            return delegate.shutdownNow();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return delegate.awaitTermination(timeout, unit);
        }

        @Override
        public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
            return delegate.newCall(method, options);
        }

        @Override
        public String authority() {
            return delegate.authority();
        }
    }
}
