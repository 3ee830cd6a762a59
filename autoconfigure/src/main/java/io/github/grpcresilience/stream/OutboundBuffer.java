package io.github.grpcresilience.stream;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Messages accepted while a stream is down, kept in order up to a capacity, with an overflow
 * policy. Flushing takes them out one at a time so the caller can respect flow control.
 *
 * <p>Thread-safety: any number of application threads may {@link #add}; one flusher at a time
 * {@link #poll}s. All state is guarded by {@code lock}.
 */
final class OutboundBuffer<T> {

    private final String stream;
    private final int capacity;
    private final OverflowPolicy overflow;
    private final Duration blockTimeout;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    @GuardedBy("lock")
    private final Deque<T> messages = new ArrayDeque<>();
    @GuardedBy("lock")
    private long dropped;

    OutboundBuffer(String stream, int capacity, OverflowPolicy overflow, Duration blockTimeout) {
        this.stream = stream;
        this.capacity = capacity;
        this.overflow = overflow;
        this.blockTimeout = blockTimeout;
    }

    /**
     * Adds a message at the end.
     *
     * @throws OutboundBufferFullException when full and the policy is FAIL, or BLOCK timed out
     */
    void add(T message) throws InterruptedException {
        lock.lock();
        try {
            if (messages.size() >= capacity) {
                switch (overflow) {
                    case FAIL -> throw new OutboundBufferFullException(stream, capacity);
                    case DROP_OLDEST -> {
                        messages.pollFirst();
                        dropped++;
                    }
                    case BLOCK -> {
                        long remaining = blockTimeout.toNanos();
                        while (messages.size() >= capacity) {
                            if (remaining <= 0) {
                                throw new OutboundBufferFullException(stream, capacity);
                            }
                            remaining = notFull.awaitNanos(remaining);
                        }
                    }
                }
            }
            messages.addLast(message);
        } finally {
            lock.unlock();
        }
    }

    /** Takes the oldest message, or {@code null} when empty. */
    T poll() {
        lock.lock();
        try {
            T message = messages.pollFirst();
            if (message != null) {
                notFull.signal();
            }
            return message;
        } finally {
            lock.unlock();
        }
    }

    /** Puts a message back at the front (it could not be written). */
    void pushBack(T message) {
        lock.lock();
        try {
            messages.addFirst(message);
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return messages.size();
        } finally {
            lock.unlock();
        }
    }

    long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** Empties the buffer and wakes blocked senders (they then fail). */
    void clear() {
        lock.lock();
        try {
            messages.clear();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
