package io.github.grpcresilience.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.testing.ManualClock;
import io.github.grpcresilience.testing.ManualScheduler;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
        ChannelPool pool = ChannelPool.create(new PoolSettings(1, 1, 80, 20, Duration.ofHours(1), 2, null),
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

    @Test
    void aChannelBeingBuiltBlocksNeitherMembersNorStateCallbacksNorShutdownAndIsShutDownAfter() throws Exception {
        ScriptedChannel first = new ScriptedChannel();
        ScriptedChannel successor = new ScriptedChannel();
        CountDownLatch building = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong clock = new AtomicLong();
        AtomicInteger built = new AtomicInteger();
        ChannelPool pool = ChannelPool.create(new PoolSettings(1, 1, 80, 20, Duration.ofHours(1), 2,
                Duration.ofMinutes(1)), () -> {
                    if (built.getAndIncrement() == 0) {
                        return first;
                    }
                    building.countDown();
                    awaitQuietly(release); // a configurer that takes its time
                    return successor;
                }, inline, clock::get, null);
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            clock.addAndGet(Duration.ofMinutes(1).toNanos());
            Future<?> resize = threads.submit(pool::resize); // replaces the old member: builds one
            assertThat(building.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(threads.submit(pool::members).get(10, TimeUnit.SECONDS))
                    .extracting(ChannelPool.MemberView::id).containsExactly(0);
            AtomicBoolean heard = new AtomicBoolean();
            pool.notifyWhenStateChanged(ConnectivityState.IDLE, () -> heard.set(true));
            threads.submit(() -> first.moveTo(ConnectivityState.CONNECTING)).get(10, TimeUnit.SECONDS);
            assertThat(heard).as("the state callback ran while the channel was being built").isTrue();
            threads.submit(pool::shutdown).get(10, TimeUnit.SECONDS);
            assertThat(first.isShutdown()).isTrue();
            assertThat(resize).isNotDone();

            release.countDown();
            resize.get(10, TimeUnit.SECONDS);
            assertThat(successor.isShutdown()).as("built for a pool that was shut down meanwhile: not leaked").isTrue();
            assertThat(pool.members()).extracting(ChannelPool.MemberView::id).containsExactly(0);
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
    }

    @Test
    void aResizeAskedForWhileOneBuildsRunsAfterItWithoutWaitingForIt() throws Exception {
        CountDownLatch building = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong clock = new AtomicLong();
        AtomicInteger built = new AtomicInteger();
        List<Integer> replaced = new CopyOnWriteArrayList<>();
        ChannelPool pool = ChannelPool.create(new PoolSettings(2, 2, 80, 20, Duration.ofHours(1), 2,
                Duration.ofMinutes(1)), () -> {
                    if (built.getAndIncrement() == 2) {
                        building.countDown();
                        awaitQuietly(release);
                    }
                    return new ScriptedChannel();
                }, inline, clock::get, new ChannelPool.Events() {
                    @Override
                    public void resized(int from, int to, int peakCalls) {
                    }

                    @Override
                    public void replaced(int memberId, String reason) {
                        replaced.add(memberId);
                    }

                    @Override
                    public void saturated(boolean saturated, int size, int peakCalls) {
                    }

                    @Override
                    public void resizeFailed(RuntimeException failure) {
                        throw failure;
                    }
                });
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            clock.addAndGet(Duration.ofMinutes(1).toNanos());
            Future<?> first = threads.submit(pool::resize); // replaces member 0: builds member 2
            assertThat(building.await(10, TimeUnit.SECONDS)).isTrue();

            threads.submit(pool::resize).get(10, TimeUnit.SECONDS); // member 1 is as old: asks again
            assertThat(pool.members()).extracting(ChannelPool.MemberView::id).containsExactly(0, 1);

            release.countDown();
            first.get(10, TimeUnit.SECONDS);
            assertThat(pool.members()).filteredOn(member -> !member.retired())
                    .extracting(ChannelPool.MemberView::id).as("the second resize replaced member 1 after the first")
                    .containsExactly(2, 3);
            assertThat(replaced).containsExactly(0, 1);
        } finally {
            release.countDown();
            threads.shutdownNow();
            pool.shutdownNow();
        }
    }

    @Test
    void thePoolResizesOnItsOwnScheduleOnTheSchedulerItIsGiven() {
        ManualScheduler time = new ManualScheduler(new ManualClock());
        List<String> events = new CopyOnWriteArrayList<>();
        ChannelPool pool = ChannelPool.create(new PoolSettings(1, 1, 80, 20, Duration.ofSeconds(30), 2,
                Duration.ofMinutes(1)), ScriptedChannel::new, time, time.clock()::nanoTime, new ChannelPool.Events() {
                    @Override
                    public void resized(int from, int to, int peakCalls) {
                        events.add("resized");
                    }

                    @Override
                    public void replaced(int memberId, String reason) {
                        events.add(time.clock().nanoTime() + "ns: replaced " + memberId + " (" + reason + ")");
                    }

                    @Override
                    public void saturated(boolean saturated, int size, int peakCalls) {
                        events.add("saturated");
                    }

                    @Override
                    public void resizeFailed(RuntimeException failure) {
                        events.add("failed");
                    }
                });
        assertThat(time.pendingDelays()).as("the first resize, one interval away").containsExactly(Duration.ofSeconds(30));

        time.advance(Duration.ofMinutes(1).minusNanos(1));
        assertThat(events).as("the resize at 30 s found no member a minute old").isEmpty();
        time.advance(Duration.ofNanos(1));
        assertThat(events).as("the resize at 60 s, with nobody calling resize()")
                .containsExactly(Duration.ofMinutes(1).toNanos() + "ns: replaced 0 (older than 1m)");
        assertThat(pool.members()).filteredOn(member -> !member.retired()).extracting(ChannelPool.MemberView::id)
                .containsExactly(1);

        pool.shutdown();
        assertThat(time.pendingDelays()).as("shutdown cancels the schedule").isEmpty();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
