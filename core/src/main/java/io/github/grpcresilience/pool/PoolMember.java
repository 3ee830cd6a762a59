package io.github.grpcresilience.pool;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One channel of a pool and its running calls. A retired member takes no new calls and is shut
 * down once its last call has ended, so retiring never cuts a call.
 *
 * <p>Thread-safety: {@link #tryAcquire} and {@link #retire} run on any thread. Each does its write
 * (count, flag) before its read (flag, count), both sequentially consistent, so at least one of
 * them sees the other: either the call is refused and picks again, or the retirement sees the
 * call and leaves the shutdown to its end.
 */
final class PoolMember {

    final int id;
    final ManagedChannel channel;
    final long createdNanos;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean shutDown = new AtomicBoolean();
    private volatile boolean retired;

    PoolMember(int id, ManagedChannel channel, long createdNanos) {
        this.id = id;
        this.channel = channel;
        this.createdNanos = createdNanos;
    }

    /** Counts a call on this member; false if it was retired meanwhile (the call must pick again). */
    boolean tryAcquire() {
        inFlight.incrementAndGet();
        if (retired) {
            release();
            return false;
        }
        return true;
    }

    /** Ends a call counted by {@link #tryAcquire}. */
    void release() {
        if (inFlight.decrementAndGet() == 0 && retired) {
            shutDownChannel();
        }
    }

    /** Takes no new calls from now on; the channel shuts down when its last call ends. */
    void retire() {
        retired = true;
        if (inFlight.get() == 0) {
            shutDownChannel();
        }
    }

    private void shutDownChannel() {
        if (shutDown.compareAndSet(false, true)) {
            channel.shutdown();
        }
    }

    int inFlight() {
        return inFlight.get();
    }

    boolean isRetired() {
        return retired;
    }

    ConnectivityState state() {
        return channel.getState(false);
    }
}
