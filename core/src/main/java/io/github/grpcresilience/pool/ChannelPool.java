package io.github.grpcresilience.pool;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.github.grpcresilience.keepalive.Durations;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One {@link ManagedChannel} over several channels to the same target, built alike by a supplier,
 * so that calls beyond one connection's {@code MAX_CONCURRENT_STREAMS} do not queue. Each call
 * picks, when it starts, the member with the fewest in-flight calls (members in TRANSIENT_FAILURE
 * only when no other is left; at equal load READY before IDLE before CONNECTING) and stays on it.
 * Every {@code resizeInterval} the pool sizes itself for the peak in-flight calls since the last
 * resize ({@link PoolSizer}), replaces members in TRANSIENT_FAILURE or SHUTDOWN while another is
 * READY, and, with a refresh interval, replaces its oldest member once it is that old. A call that
 * takes the average load above {@code maxCallsPerConnection} brings the next resize forward to now,
 * so a burst waits for a connection, not for the interval. Removed members take no new calls and
 * shut down after their last call: nothing running is cut.
 *
 * <p>Thread-safety: calls start on application threads and end on gRPC's executors; they touch
 * only the volatile member list and atomic counters. Membership changes ({@link #resize},
 * shutdown) and state watchers are guarded by the pool's lock, which is never held while a channel
 * is built (the factory runs the application's configurers) nor while a member channel is shut
 * down or watched; state-change callbacks run on the
 * scheduler, never under the lock; once the pool is shut down they run on the thread that saw the
 * change (the one shutting it down or a member's executor), since a scheduler stopped right after
 * the pool would drop a queued callback and the registry, metrics and health would never hear that
 * the channel is gone. Resizes run on the scheduler.
 */
public final class ChannelPool extends ManagedChannel {

    /** What a pool did, for logs and metrics. Called on the resizing thread, outside the lock. */
    public interface Events {
        void resized(int from, int to, int peakCalls);

        void replaced(int memberId, String reason);

        /**
         * The pool reached {@code maxSize} with more calls than its members should carry
         * ({@code true}), or no longer has ({@code false}); reported on the change only.
         */
        void saturated(boolean saturated, int size, int peakCalls);

        /** A member could not be built: the resize kept what it had done; the next one tries again. */
        void resizeFailed(RuntimeException failure);
    }

    /** A member as the endpoint shows it. */
    public record MemberView(int id, ConnectivityState state, int inFlight, boolean retired, Duration age) {
    }

    private final PoolSettings settings;
    private final Supplier<ManagedChannel> factory;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoClock;
    private final Events events;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakSinceResize = new AtomicInteger();
    private final AtomicInteger rotation = new AtomicInteger();
    /** Set while a resize brought forward by load is queued, so a burst queues only one. */
    private final AtomicBoolean growthQueued = new AtomicBoolean();
    private final Object lock = new Object();
    /** Copy-on-write under {@link #lock}; read without it. */
    private volatile List<PoolMember> active;
    /** Removed members that have not terminated yet. */
    @GuardedBy("lock")
    private final List<PoolMember> retiring = new ArrayList<>();
    @GuardedBy("lock")
    private final List<Watcher> watchers = new ArrayList<>();
    @GuardedBy("lock")
    private int nextId;
    /** Whether the last resize found the pool full at its maximum. */
    @GuardedBy("lock")
    private boolean saturated;
    /** A resize is building members outside the lock; another one waits for it ({@link #resizeAgain}). */
    @GuardedBy("lock")
    private boolean resizing;
    /** A resize was asked for while one was building: it runs on the scheduler once that one is done. */
    @GuardedBy("lock")
    private boolean resizeAgain;
    @GuardedBy("lock")
    private ScheduledFuture<?> periodicResize;
    private volatile boolean shutdown;

    private record Watcher(ConnectivityState source, Runnable callback) {
    }

    private record Replacement(PoolMember old, String reason) {
    }

    /** What a resize decided under the lock, to build outside it. */
    private record Plan(int from, int to, int peak, List<Replacement> replacements, int firstId, int builds) {
    }

    private ChannelPool(PoolSettings settings, Supplier<ManagedChannel> factory, ScheduledExecutorService scheduler,
            LongSupplier nanoClock, Events events, List<PoolMember> members) {
        this.settings = settings;
        this.factory = factory;
        this.scheduler = scheduler;
        this.nanoClock = nanoClock;
        this.events = events;
        this.active = List.copyOf(members);
        synchronized (lock) {
            this.nextId = members.size();
        }
    }

    /**
     * Builds {@code minSize} members (connecting lazily, as a single channel would) before the pool
     * exists, then starts following their states and schedules the resizes on {@code scheduler},
     * which also runs state-change callbacks. A member that cannot be built fails the creation and
     * the ones already built are shut down.
     */
    public static ChannelPool create(PoolSettings settings, Supplier<ManagedChannel> factory,
            ScheduledExecutorService scheduler, LongSupplier nanoClock, Events events) {
        List<PoolMember> members = new ArrayList<>();
        try {
            for (int i = 0; i < settings.minSize(); i++) {
                members.add(new PoolMember(i, factory.get(), nanoClock.getAsLong()));
            }
        } catch (RuntimeException e) {
            members.forEach(member -> member.channel.shutdownNow());
            throw e;
        }
        ChannelPool pool = new ChannelPool(settings, factory, scheduler, nanoClock, events, members);
        pool.start();
        return pool;
    }

    private void start() {
        active.forEach(this::watch);
        long interval = settings.resizeInterval().toNanos();
        ScheduledFuture<?> periodic = scheduler.scheduleWithFixedDelay(this::resize, interval, interval,
                TimeUnit.NANOSECONDS);
        synchronized (lock) {
            periodicResize = periodic;
            if (shutdown) {
                periodic.cancel(false);
            }
        }
    }

    /**
     * Follows a member's state for the pool's own state watchers, until the member shuts down. On
     * each change it watches again before it tells the pool's watchers, so that a change landing
     * while they are told is not missed.
     */
    private void watch(PoolMember member) {
        ConnectivityState state = member.state();
        if (state != ConnectivityState.SHUTDOWN) {
            member.channel.notifyWhenStateChanged(state, () -> {
                watch(member);
                stateMayHaveChanged();
            });
        }
    }

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(MethodDescriptor<ReqT, RespT> method,
            CallOptions options) {
        return new PooledCall<>(leases, method, options);
    }

    private final PooledCall.Leases leases = new PooledCall.Leases() {
        @Override
        public PoolMember acquire() {
            return ChannelPool.this.acquire();
        }

        @Override
        public void release(PoolMember member) {
            inFlight.decrementAndGet();
            member.release();
        }
    };

    /** Picks a member for a starting call and counts the call on it. */
    private PoolMember acquire() {
        while (true) {
            List<PoolMember> members = active;
            PoolMember best = pick(members);
            if (best.tryAcquire()) {
                int now = inFlight.incrementAndGet();
                peakSinceResize.accumulateAndGet(now, Math::max);
                if (members.size() < settings.maxSize()
                        && now > (long) members.size() * settings.maxCallsPerConnection()) {
                    growSoon();
                }
                return best;
            }
            // retired between the read and the count: the list has already been replaced
        }
    }

    private void growSoon() {
        if (growthQueued.compareAndSet(false, true)) {
            try {
                scheduler.execute(this::resize);
            } catch (RejectedExecutionException e) {
                growthQueued.set(false); // shutting down: the pool is going away anyway
            }
        }
    }

    /**
     * The member with the fewest in-flight calls; one that is failing to connect only when all
     * are; at equal load the best connected. Ties rotate so that equal members share the calls.
     */
    private PoolMember pick(List<PoolMember> members) {
        int start = Math.floorMod(rotation.getAndIncrement(), members.size());
        PoolMember best = null;
        boolean bestFailing = true;
        int bestLoad = Integer.MAX_VALUE;
        int bestRank = Integer.MAX_VALUE;
        for (int i = 0; i < members.size(); i++) {
            PoolMember member = members.get((start + i) % members.size());
            int rank = rank(member.state());
            boolean failing = rank >= rank(ConnectivityState.TRANSIENT_FAILURE);
            int load = member.inFlight();
            boolean better = best == null || (bestFailing && !failing)
                    || (failing == bestFailing && (load < bestLoad || (load == bestLoad && rank < bestRank)));
            if (better) {
                best = member;
                bestFailing = failing;
                bestLoad = load;
                bestRank = rank;
            }
        }
        return best;
    }

    private static int rank(ConnectivityState state) {
        return switch (state) {
            case READY -> 0;
            case IDLE -> 1;
            case CONNECTING -> 2;
            case TRANSIENT_FAILURE -> 3;
            case SHUTDOWN -> 4;
        };
    }

    /**
     * Replaces broken and (with a refresh interval) old members, then sizes the pool for the peak
     * in-flight calls since the last resize. Runs on the scheduler; tests call it directly. Never
     * throws: a member that cannot be built is reported to {@link Events#resizeFailed}.
     *
     * <p>Decides under the lock, builds the new members outside it (the factory runs net.devh's
     * and the application's channel configurers), and publishes them under it. One resize builds at
     * a time: one asked for meanwhile runs on the scheduler after it. A pool shut down while
     * members were being built shuts those members down instead of publishing them.
     */
    public void resize() {
        Plan plan;
        synchronized (lock) {
            growthQueued.set(false);
            if (shutdown) {
                return;
            }
            if (resizing) {
                resizeAgain = true;
                return;
            }
            resizing = true;
            plan = plan();
        }
        List<PoolMember> built = new ArrayList<>();
        RuntimeException failure = null;
        for (int i = 0; i < plan.builds(); i++) {
            try {
                built.add(new PoolMember(plan.firstId() + i, factory.get(), nanoClock.getAsLong()));
            } catch (RuntimeException e) {
                // keep what this resize built so far (a member is replaced only once its successor
                // exists) and try again next time
                failure = e;
                break;
            }
        }
        publish(plan, built, failure);
    }

    /** Decides the replacements and the size; the members to build get their ids now. */
    @GuardedBy("lock")
    private Plan plan() {
        int peak = Math.max(peakSinceResize.getAndSet(inFlight.get()), inFlight.get());
        List<PoolMember> members = active;
        List<Replacement> replacements = new ArrayList<>();
        replaceBroken(members, replacements);
        if (settings.refreshInterval() != null) {
            refreshOldest(members, replacements);
        }
        int to = PoolSizer.nextSize(members.size(), peak, settings);
        int builds = replacements.size() + Math.max(0, to - members.size());
        int firstId = nextId;
        nextId += builds;
        return new Plan(members.size(), to, peak, replacements, firstId, builds);
    }

    private void publish(Plan plan, List<PoolMember> built, RuntimeException failure) {
        List<Replacement> replaced = new ArrayList<>();
        List<PoolMember> removed = new ArrayList<>();
        Boolean saturationChange = null;
        boolean again;
        boolean published;
        int to = plan.to();
        synchronized (lock) {
            resizing = false;
            again = resizeAgain;
            resizeAgain = false;
            published = !shutdown;
            if (published) {
                List<PoolMember> members = new ArrayList<>(active);
                int next = 0;
                for (Replacement replacement : plan.replacements()) {
                    if (next == built.size()) {
                        break;
                    }
                    members.set(members.indexOf(replacement.old()), built.get(next++));
                    replaced.add(replacement);
                }
                while (next < built.size()) {
                    members.add(built.get(next++));
                }
                if (failure != null) {
                    to = members.size();
                }
                if (members.size() > to) {
                    members.sort(Comparator.comparingInt(PoolMember::inFlight).thenComparing(
                            Comparator.comparingInt((PoolMember member) -> member.id).reversed()));
                    while (members.size() > to) {
                        removed.add(members.remove(0));
                    }
                    members.sort(Comparator.comparingInt(member -> member.id));
                }
                active = List.copyOf(members);
                for (Replacement replacement : replaced) {
                    retiring.add(replacement.old());
                }
                retiring.addAll(removed);
                retiring.removeIf(member -> member.channel.isTerminated());
                boolean full = to == settings.maxSize()
                        && plan.peak() > (long) to * settings.maxCallsPerConnection();
                if (full != saturated) {
                    saturated = full;
                    saturationChange = full;
                }
            }
        }
        if (!published) {
            // the pool was shut down while these were being built: nobody else will shut them down
            built.forEach(member -> member.channel.shutdownNow());
            return;
        }
        // retired only now that new calls cannot pick them: a call that counted itself on one just
        // before picks again from the new list instead of spinning on the old one
        replaced.forEach(replacement -> replacement.old().retire());
        removed.forEach(PoolMember::retire);
        for (PoolMember member : built) {
            member.channel.getState(true);
            watch(member);
        }
        replaced.forEach(replacement -> events.replaced(replacement.old().id, replacement.reason()));
        if (plan.from() != to) {
            events.resized(plan.from(), to, plan.peak());
        }
        if (saturationChange != null) {
            events.saturated(saturationChange, to, plan.peak());
        }
        if (failure != null) {
            events.resizeFailed(failure);
        }
        stateMayHaveChanged();
        if (again) {
            growSoon();
        }
    }

    /** Replaces members that cannot connect while another can. */
    private static void replaceBroken(List<PoolMember> members, List<Replacement> replaced) {
        boolean anyReady = members.stream().anyMatch(member -> member.state() == ConnectivityState.READY);
        if (!anyReady) {
            return; // the target itself is down: new members would fail alike
        }
        for (PoolMember member : members) {
            ConnectivityState state = member.state();
            if (state == ConnectivityState.TRANSIENT_FAILURE || state == ConnectivityState.SHUTDOWN) {
                replaced.add(new Replacement(member, state.name()));
            }
        }
    }

    /** Replaces the oldest member not being replaced already, once it is refresh-interval old. */
    private void refreshOldest(List<PoolMember> members, List<Replacement> replaced) {
        long now = nanoClock.getAsLong();
        long maxAge = settings.refreshInterval().toNanos();
        members.stream()
                .filter(member -> now - member.createdNanos >= maxAge)
                .filter(member -> replaced.stream().noneMatch(replacement -> replacement.old() == member))
                .min(Comparator.comparingLong(member -> member.createdNanos))
                .ifPresent(oldest -> replaced.add(new Replacement(oldest,
                        "older than " + Durations.format(settings.refreshInterval()))));
    }

    /** Members taking calls now. */
    public int size() {
        return active.size();
    }

    /** Calls running on the pool now. */
    public int inFlight() {
        return inFlight.get();
    }

    public PoolSettings settings() {
        return settings;
    }

    /** Every member, active first, then those draining after removal until they terminate. */
    public List<MemberView> members() {
        long now = nanoClock.getAsLong();
        List<MemberView> views = new ArrayList<>();
        List<PoolMember> all;
        synchronized (lock) {
            retiring.removeIf(member -> member.channel.isTerminated());
            all = all();
        }
        for (PoolMember member : all) {
            views.add(new MemberView(member.id, member.state(), member.inFlight(), member.isRetired(),
                    Duration.ofNanos(now - member.createdNanos)));
        }
        return views;
    }

    @Override
    public ConnectivityState getState(boolean requestConnection) {
        if (shutdown) {
            return ConnectivityState.SHUTDOWN;
        }
        ConnectivityState best = ConnectivityState.SHUTDOWN;
        for (PoolMember member : active) {
            ConnectivityState state = member.channel.getState(requestConnection);
            if (rank(state) < rank(best)) {
                best = state;
            }
        }
        return best;
    }

    @Override
    public void notifyWhenStateChanged(ConnectivityState source, Runnable callback) {
        synchronized (lock) {
            if (getState(false) == source) {
                watchers.add(new Watcher(source, callback));
                return;
            }
        }
        dispatch(callback);
    }

    /**
     * Runs a state callback on the scheduler, or here once the pool is shut down: the scheduler may
     * stop right after the pool and drop it.
     */
    private void dispatch(Runnable callback) {
        if (shutdown) {
            callback.run();
            return;
        }
        try {
            scheduler.execute(callback);
        } catch (RejectedExecutionException e) {
            callback.run();
        }
    }

    private void stateMayHaveChanged() {
        dueWatchers().forEach(this::dispatch);
    }

    /** Removes and returns the callbacks of the watchers whose source state is no longer the pool's. */
    private List<Runnable> dueWatchers() {
        List<Runnable> due = new ArrayList<>();
        synchronized (lock) {
            ConnectivityState now = getState(false);
            for (Iterator<Watcher> it = watchers.iterator(); it.hasNext(); ) {
                Watcher watcher = it.next();
                if (watcher.source() != now) {
                    due.add(watcher.callback());
                    it.remove();
                }
            }
        }
        return due;
    }

    /**
     * Asks every member to connect and waits until one is READY, for net.devh's
     * {@code immediate-connect-timeout}.
     *
     * @return whether a member became READY within the timeout
     */
    public boolean connect(Duration timeout) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(1);
        awaitReady(getState(true), ready);
        return ready.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void awaitReady(ConnectivityState state, CountDownLatch ready) {
        if (state == ConnectivityState.READY) {
            ready.countDown();
        } else if (state != ConnectivityState.SHUTDOWN) {
            notifyWhenStateChanged(state, () -> awaitReady(getState(false), ready));
        }
    }

    @Override
    public String authority() {
        return active.get(0).channel.authority();
    }

    @Override
    public void resetConnectBackoff() {
        active.forEach(member -> member.channel.resetConnectBackoff());
    }

    @Override
    public void enterIdle() {
        active.forEach(member -> member.channel.enterIdle());
    }

    @Override
    public ManagedChannel shutdown() {
        for (PoolMember member : stop()) {
            member.channel.shutdown();
        }
        stateMayHaveChanged();
        return this;
    }

    @Override
    public ManagedChannel shutdownNow() {
        for (PoolMember member : stop()) {
            member.channel.shutdownNow();
        }
        stateMayHaveChanged();
        return this;
    }

    private List<PoolMember> stop() {
        synchronized (lock) {
            shutdown = true;
            if (periodicResize != null) {
                periodicResize.cancel(false);
            }
            return all();
        }
    }

    private List<PoolMember> all() {
        synchronized (lock) {
            List<PoolMember> all = new ArrayList<>(active);
            all.addAll(retiring);
            return all;
        }
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && all().stream().allMatch(member -> member.channel.isTerminated());
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (PoolMember member : all()) {
            if (!member.channel.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        return true;
    }
}
