package io.github.grpcresilience.benchmarks.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadPoolsTest {

    /** Lines as Java 17's {@code jcmd <pid> Thread.print} writes them, with stack lines and VM threads. */
    private static final String DUMP = """
            2026-12-02 15:31:02
            Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6-Debian-1deb12u1 mixed mode, sharing):

            "main" #1 prio=5 os_prio=0 cpu=794.04ms elapsed=4.74s tid=0x00007f3114018020 nid=0x29d3 waiting on condition  [0x00007f3118dfe000]
               java.lang.Thread.State: TIMED_WAITING (sleeping)
            \tat java.lang.Thread.sleep(java.base@17.0.15/Native Method)

            "grpc-default-executor-0" #45 daemon prio=5 os_prio=0 cpu=1.00ms elapsed=4.00s tid=0x1 nid=0x2 waiting on condition  [0x0]
            "grpc-default-executor-12" #61 daemon prio=5 os_prio=0 cpu=1.00ms elapsed=4.00s tid=0x1 nid=0x2 waiting on condition  [0x0]
            "grpc-nio-worker-ELG-1-2" #50 daemon prio=5 os_prio=0 cpu=1.00ms elapsed=4.00s tid=0x1 nid=0x2 runnable  [0x0]
            "C1 CompilerThread0" #8 daemon prio=9 os_prio=0 cpu=293.37ms elapsed=4.62s tid=0x1 nid=0x29e0 waiting on condition  [0x0]
            "Signal Dispatcher" #4 daemon prio=9 os_prio=0 cpu=1.30ms elapsed=4.62s tid=0x1 nid=0x29dc waiting on condition  [0x0]
            "a "quoted" name-7" #70 prio=5 os_prio=0 cpu=1.00ms elapsed=1.00s tid=0x1 nid=0x2 runnable  [0x0]

            "VM Thread" os_prio=0 cpu=3.44ms elapsed=4.64s tid=0x00007f31140f2b80 nid=0x29d9 runnable
            "GC Thread#0" os_prio=0 cpu=0.78ms elapsed=4.73s tid=0x00007f3114041790 nid=0x29d4 runnable
            """;

    @Test
    void readsTheJavaThreadsNamesAndSkipsTheVmsOwnThreads() {
        assertThat(ThreadPools.threadNames(DUMP)).containsExactly("main", "grpc-default-executor-0",
                "grpc-default-executor-12", "grpc-nio-worker-ELG-1-2", "C1 CompilerThread0", "Signal Dispatcher",
                "a \"quoted\" name-7");
    }

    @Test
    void groupsThreadsByTheirNameWithoutTrailingDigits() {
        assertThat(ThreadPools.byPool(List.of("grpc-default-executor-0", "grpc-default-executor-12",
                "grpc-nio-worker-ELG-1-2", "grpc-nio-worker-ELG-1-3", "pool-2-thread-1", "pool-3-thread-1", "main",
                "C1 CompilerThread0"))).containsExactly(
                        Map.entry("C1 CompilerThread*", 1),
                        Map.entry("grpc-default-executor-*", 2),
                        Map.entry("grpc-nio-worker-ELG-1-*", 2),
                        Map.entry("main", 1),
                        Map.entry("pool-2-thread-*", 1),
                        Map.entry("pool-3-thread-*", 1));
    }

    @Test
    void listsOnlyThePoolsWhoseCountChangedIncludingNewAndGoneOnes() {
        Map<String, Integer> start = Map.of("main", 1, "grpc-default-executor-*", 3, "grpc-nio-worker-ELG-1-*", 2,
                "pool-2-thread-*", 1);
        Map<String, Integer> end = Map.of("main", 1, "grpc-default-executor-*", 1, "grpc-nio-worker-ELG-1-*", 4,
                "pool-3-thread-*", 1);

        assertThat(ThreadPools.changes(start, end)).containsExactly(
                new ThreadPools.Change("grpc-default-executor-*", 3, 1),
                new ThreadPools.Change("grpc-nio-worker-ELG-1-*", 2, 4),
                new ThreadPools.Change("pool-2-thread-*", 1, 0),
                new ThreadPools.Change("pool-3-thread-*", 0, 1));
        assertThat(ThreadPools.changes(start, start)).isEmpty();
    }

    @Test
    void theJvmsCompilerThreadsAreLeftOutWhenCheckingWhetherTheApplicationsThreadsSettled() {
        assertThat(ThreadPools.withoutJvmCompilerThreads(Map.of("C1 CompilerThread*", 2, "C2 CompilerThread*", 1,
                "grpc-default-executor-*", 3, "main", 1))).containsExactly(Map.entry("grpc-default-executor-*", 3),
                        Map.entry("main", 1));
    }
}
