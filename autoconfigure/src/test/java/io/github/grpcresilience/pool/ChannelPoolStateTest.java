package io.github.grpcresilience.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pool's state watchers against a member whose state the test moves, so that a change can
 * land exactly while the pool is still handling the one before (as a connection that becomes
 * READY right after CONNECTING does). The network paths are in {@link ChannelPoolTest}.
 */
class ChannelPoolStateTest {

    /** Runs what the pool hands it at once, on the thread that hands it over. */
    private final ScheduledThreadPoolExecutor inline = new ScheduledThreadPoolExecutor(1) {
        @Override
        public void execute(Runnable command) {
            command.run();
        }
    };

    @AfterEach
    void stop() {
        inline.shutdownNow();
    }

    @Test
    void aWatcherHearsOfAChangeThatLandsWhileThePoolHandlesTheOneBefore() {
        ScriptedChannel member = new ScriptedChannel();
        ChannelPool pool = new ChannelPool(new PoolSettings(1, 1, 80, 20, Duration.ofHours(1), 2, null),
                () -> member, inline, System::nanoTime, null);
        AtomicBoolean sawReady = new AtomicBoolean();
        pool.notifyWhenStateChanged(ConnectivityState.IDLE, () -> {
            // the pool is handling IDLE -> CONNECTING: wait for the next change, which comes now
            pool.notifyWhenStateChanged(pool.getState(false), () -> sawReady.set(pool.getState(false)
                    == ConnectivityState.READY));
            member.moveTo(ConnectivityState.READY);
        });

        member.moveTo(ConnectivityState.CONNECTING);

        assertThat(pool.getState(false)).isEqualTo(ConnectivityState.READY);
        assertThat(sawReady).as("the change to READY reached the watcher").isTrue();
    }

    /** A member channel whose state the test sets; its state callbacks run on the setting thread. */
    private static final class ScriptedChannel extends ManagedChannel {
        private record Watch(ConnectivityState source, Runnable callback) {
        }

        private final List<Watch> watches = new ArrayList<>();
        private volatile ConnectivityState state = ConnectivityState.IDLE;

        void moveTo(ConnectivityState next) {
            List<Runnable> due = new ArrayList<>();
            synchronized (watches) {
                state = next;
                watches.removeIf(watch -> watch.source() != next && due.add(watch.callback()));
            }
            due.forEach(Runnable::run);
        }

        @Override
        public ConnectivityState getState(boolean requestConnection) {
            return state;
        }

        @Override
        public void notifyWhenStateChanged(ConnectivityState source, Runnable callback) {
            synchronized (watches) {
                if (state == source) {
                    watches.add(new Watch(source, callback));
                    return;
                }
            }
            callback.run();
        }

        @Override
        public ManagedChannel shutdown() {
            moveTo(ConnectivityState.SHUTDOWN);
            return this;
        }

        @Override
        public ManagedChannel shutdownNow() {
            return shutdown();
        }

        @Override
        public boolean isShutdown() {
            return state == ConnectivityState.SHUTDOWN;
        }

        @Override
        public boolean isTerminated() {
            return isShutdown();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return isShutdown();
        }

        @Override
        public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(MethodDescriptor<ReqT, RespT> method,
                CallOptions options) {
            throw new UnsupportedOperationException("no calls in this test");
        }

        @Override
        public String authority() {
            return "scripted";
        }
    }
}
