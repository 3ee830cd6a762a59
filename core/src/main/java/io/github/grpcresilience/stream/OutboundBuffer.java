package io.github.grpcresilience.stream;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Messages accepted while a stream cannot write, kept in order up to a capacity, with an overflow
 * policy. Flushing takes them out one at a time so the caller can respect flow control.
 *
 * <p>Delivery accounting: a message given to {@link #add} either returns normally and is then in
 * the buffer, or the call throws and it never was. Whatever is in the buffer leaves it exactly once:
 * by {@link #poll}, as the return value of a {@code DROP_OLDEST} {@link #add}, or in the list
 * {@link #close} returns. After {@code close}, {@code add} throws, including for senders woken from
 * {@code BLOCK}, so nothing lands in the buffer of an ended stream.
 *
 * <p>Thread-safety: any number of application threads may {@link #add}; one flusher at a time
 * {@link #poll}s. All state is guarded by {@code lock}.
 */
final class OutboundBuffer<T> {

    private final String stream;
    private final int capacity;
    private final OverflowPolicy overflow;
    private final long blockTimeoutNanos;
    private final ReentrantLock lock = new ReentrantLock();
    /** Created on the first BLOCK wait: most streams never wait, and 10,000 of them are kept. */
    @GuardedBy("lock")
    private Condition notFull;
    /** Created on the first add: a server-streaming call or a stream that never breaks needs none. */
    @GuardedBy("lock")
    private ArrayDeque<T> messages;
    @GuardedBy("lock")
    private long dropped;
    @GuardedBy("lock")
    private boolean closed;

    OutboundBuffer(String stream, int capacity, OverflowPolicy overflow, Duration blockTimeout) {
        this.stream = stream;
        this.capacity = capacity;
        this.overflow = overflow;
        this.blockTimeoutNanos = blockTimeout.toNanos();
    }

    /**
     * Adds a message at the end.
     *
     * @return the oldest message, dropped to make room under {@code DROP_OLDEST}, or {@code null}
     * @throws OutboundBufferFullException when full and the policy is FAIL, or BLOCK timed out
     * @throws StreamEndedException when the buffer was closed (before the call, or while it waited)
     */
    T add(T message) throws InterruptedException {
        lock.lock();
        try {
            checkOpen();
            T droppedMessage = null;
            if (size() >= capacity) {
                switch (overflow) {
                    case FAIL -> throw new OutboundBufferFullException(stream, capacity);
                    case DROP_OLDEST -> {
                        droppedMessage = messages.pollFirst();
                        dropped++;
                    }
                    case BLOCK -> {
                        if (notFull == null) {
                            notFull = lock.newCondition();
                        }
                        long remaining = blockTimeoutNanos;
                        while (size() >= capacity) {
                            if (remaining <= 0) {
                                throw new OutboundBufferFullException(stream, capacity);
                            }
                            remaining = notFull.awaitNanos(remaining);
                            checkOpen();
                        }
                    }
                }
            }
            if (messages == null) {
                messages = new ArrayDeque<>(Math.min(capacity, 16));
            }
            messages.addLast(message);
            return droppedMessage;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Puts messages back at the front, in their order, ahead of everything buffered: written
     * messages a broken call never confirmed, to be written again first. They were accepted once,
     * so no capacity check and no overflow: the buffer may hold more than its capacity for a while.
     *
     * @return {@code false} when the buffer is closed (the caller hands them back instead)
     */
    boolean requeue(List<T> front) {
        if (front.isEmpty()) {
            return true;
        }
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            if (messages == null) {
                messages = new ArrayDeque<>(Math.max(front.size(), 16));
            }
            for (int i = front.size() - 1; i >= 0; i--) {
                messages.addFirst(front.get(i));
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @GuardedBy("lock")
    private void checkOpen() {
        if (closed) {
            throw new StreamEndedException(stream);
        }
    }

    /** Takes the oldest message, or {@code null} when empty. */
    T poll() {
        lock.lock();
        try {
            T message = messages == null ? null : messages.pollFirst();
            if (message != null && notFull != null) {
                notFull.signal();
            }
            return message;
        } finally {
            lock.unlock();
        }
    }

    boolean isEmpty() {
        lock.lock();
        try {
            return size() == 0;
        } finally {
            lock.unlock();
        }
    }

    int bufferedCount() {
        lock.lock();
        try {
            return size();
        } finally {
            lock.unlock();
        }
    }

    @GuardedBy("lock")
    private int size() {
        return messages == null ? 0 : messages.size();
    }

    long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the buffer for good and returns what it still held, oldest first; wakes blocked
     * senders, which then throw. A second call returns an empty list.
     */
    List<T> close() {
        lock.lock();
        try {
            closed = true;
            List<T> left = messages == null ? List.of() : List.copyOf(messages);
            messages = null;
            if (notFull != null) {
                notFull.signalAll();
            }
            return left;
        } finally {
            lock.unlock();
        }
    }
}
