package io.github.grpcresilience.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A scheduler on a {@link ManualClock}: tasks run only when the test calls {@link #advance} or
 * {@link #runDue}, on the test's thread, one at a time, in the order they fall due, with the clock
 * set to each task's due time while it runs (grpc-java's {@code FakeClock} works alike). Other
 * threads may schedule and wait for tasks ({@link ScheduledFuture#get()} blocks until the task ran).
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    /** A test that runs more tasks than this in one advance has a task rescheduling itself at once. */
    private static final int MAX_TASKS_PER_ADVANCE = 100_000;

    private final ManualClock clock;
    private final Object lock = new Object();
    private final PriorityQueue<Task<?>> tasks = new PriorityQueue<>(
            Comparator.comparingLong((Task<?> task) -> task.due).thenComparingLong(task -> task.sequence));
    private long sequence;
    private boolean shutdown;

    public ManualScheduler(ManualClock clock) {
        this.clock = clock;
    }

    public ManualClock clock() {
        return clock;
    }

    /** Moves the clock by {@code duration}, running every task that falls due on the way. */
    public void advance(Duration duration) {
        long target = clock.nanoTime() + duration.toNanos();
        for (int i = 0; i < MAX_TASKS_PER_ADVANCE; i++) {
            Task<?> next;
            synchronized (lock) {
                next = tasks.peek();
                if (next == null || next.due > target) {
                    clock.setNanoTime(target);
                    return;
                }
                tasks.poll();
            }
            clock.setNanoTime(Math.max(clock.nanoTime(), next.due));
            next.run();
        }
        throw new IllegalStateException("more than " + MAX_TASKS_PER_ADVANCE + " tasks in one advance");
    }

    /** Runs the tasks due now (those handed to {@code execute} included). */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /** How long from now each pending task is due, earliest first. */
    public List<Duration> pendingDelays() {
        synchronized (lock) {
            List<Task<?>> sorted = new ArrayList<>(tasks);
            sorted.sort(tasks.comparator());
            return sorted.stream().map(task -> Duration.ofNanos(task.due - clock.nanoTime())).toList();
        }
    }

    private <V> Task<V> add(Callable<V> callable, long delayNanos, long periodNanos) {
        synchronized (lock) {
            if (shutdown) {
                throw new RejectedExecutionException("shut down");
            }
            Task<V> task = new Task<>(callable, clock.nanoTime() + Math.max(0, delayNanos), periodNanos, sequence++);
            tasks.add(task);
            return task;
        }
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(() -> {
            command.run();
            return null;
        }, unit.toNanos(delay), 0);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return add(callable, unit.toNanos(delay), 0);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return scheduleWithFixedDelay(command, initialDelay, period, unit); // tasks take no time here
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        if (delay <= 0) {
            throw new IllegalArgumentException("delay " + delay);
        }
        return add(() -> {
            command.run();
            return null;
        }, unit.toNanos(initialDelay), unit.toNanos(delay));
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdown() {
        synchronized (lock) {
            shutdown = true;
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        synchronized (lock) {
            shutdown = true;
            tasks.forEach(task -> task.cancel(false));
            tasks.clear();
        }
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        synchronized (lock) {
            return shutdown;
        }
    }

    @Override
    public boolean isTerminated() {
        return isShutdown();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isShutdown();
    }

    private final class Task<V> implements ScheduledFuture<V> {
        private final Callable<V> callable;
        private final long period;
        private final long sequence;
        private final CountDownLatch done = new CountDownLatch(1);
        private long due;
        private volatile boolean cancelled;
        private volatile V result;
        private volatile Throwable failure;

        Task(Callable<V> callable, long due, long period, long sequence) {
            this.callable = callable;
            this.due = due;
            this.period = period;
            this.sequence = sequence;
        }

        void run() {
            if (cancelled) {
                return;
            }
            try {
                V value = callable.call();
                if (period == 0) {
                    result = value;
                    done.countDown();
                    return;
                }
            } catch (Throwable e) {
                failure = e; // as a ScheduledThreadPoolExecutor, a failing periodic task stops
                done.countDown();
                return;
            }
            synchronized (lock) {
                if (!cancelled && !shutdown) {
                    due = clock.nanoTime() + period;
                    tasks.add(this);
                }
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - clock.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (isDone()) {
                return false;
            }
            cancelled = true;
            synchronized (lock) {
                tasks.remove(this);
            }
            done.countDown();
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done.getCount() == 0;
        }

        @Override
        public V get() throws InterruptedException, ExecutionException {
            done.await();
            return outcome();
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            if (!done.await(timeout, unit)) {
                throw new TimeoutException();
            }
            return outcome();
        }

        private V outcome() throws ExecutionException {
            if (cancelled) {
                throw new CancellationException();
            }
            if (failure != null) {
                throw new ExecutionException(failure);
            }
            return result;
        }
    }
}
