package io.github.grpcresilience.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose time moves only when a test says so: {@link #forward} runs, on the caller's
 * thread, every task that has become due, in due order. Supports one-shot {@code schedule} and
 * {@code execute} (run at once); periodic scheduling is not needed by the code under test.
 * Not thread-safe: drive it from the test thread.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final List<Task> tasks = new ArrayList<>();
    private long nowNanos;

    /** One scheduled task: when it is due, and whether it was cancelled. */
    public final class Task implements ScheduledFuture<Object> {
        private final Runnable command;
        private final long dueNanos;
        private final long delayNanos;
        private boolean cancelled;
        private boolean done;

        private Task(Runnable command, long delayNanos) {
            this.command = command;
            this.delayNanos = delayNanos;
            this.dueNanos = nowNanos + delayNanos;
        }

        /** The delay it was scheduled with, in nanoseconds. */
        public long delayNanos() {
            return delayNanos;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - nowNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (done) {
                return false;
            }
            cancelled = true;
            done = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }

    /** Every task scheduled so far, in scheduling order, including run and cancelled ones. */
    public List<Task> scheduled() {
        return List.copyOf(tasks);
    }

    /** Tasks neither run nor cancelled. */
    public List<Task> pending() {
        return tasks.stream().filter(task -> !task.done).toList();
    }

    /** Moves time forward and runs what became due (including tasks those schedule), earliest first. */
    public void forward(long amount, TimeUnit unit) {
        long target = nowNanos + unit.toNanos(amount);
        for (int i = 0; i < 10_000; i++) {
            Task next = pending().stream().filter(task -> task.dueNanos <= target)
                    .min((a, b) -> Long.compare(a.dueNanos, b.dueNanos)).orElse(null);
            if (next == null) {
                nowNanos = target;
                return;
            }
            nowNanos = next.dueNanos;
            next.done = true;
            next.command.run();
        }
        throw new IllegalStateException("more than 10000 tasks became due: a task reschedules itself at once");
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Task task = new Task(command, unit.toNanos(delay));
        tasks.add(task);
        return task;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
            TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void execute(Runnable command) {
        command.run();
    }

    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
