package io.github.grpcresilience.benchmarks.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An agent's Java threads grouped by pool, from {@code jcmd <pid> Thread.print}: a thread's pool is
 * its name without the trailing digits ({@code grpc-default-executor-3} is in
 * {@code grpc-default-executor-*}), so two readings tell which pools grew or shrank: a cached
 * executor whose idle threads expire, event loops that start lazily up to their group's size, or
 * something that keeps adding threads.
 */
final class ThreadPools {

    /** A Java thread's header line in a thread dump: its quoted name, then {@code #} and its number. */
    private static final Pattern JAVA_THREAD = Pattern.compile("^\"(.*)\" #\\d+ ");
    private static final Pattern TRAILING_DIGITS = Pattern.compile("\\d+$");
    /** The JIT's threads, which the JVM starts and stops with its compile queue (UseDynamicNumberOfCompilerThreads). */
    private static final Pattern JVM_COMPILER = Pattern.compile("^C[12] CompilerThread\\*$");

    /** One pool whose thread count differs between two readings. */
    record Change(String pool, int before, int after) {
        @Override
        public String toString() {
            return "`" + pool + "` " + before + " → " + after;
        }
    }

    private ThreadPools() {
    }

    /** The Java threads' names in a {@code jcmd Thread.print} output (the JVM's own GC and VM threads carry no number). */
    static List<String> threadNames(String threadDump) {
        List<String> names = new ArrayList<>();
        for (String line : threadDump.split("\\R")) {
            Matcher matcher = JAVA_THREAD.matcher(line);
            if (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    /** Thread counts by pool, the pool being the name with its trailing digits replaced by {@code *}. */
    static SortedMap<String, Integer> byPool(List<String> threadNames) {
        SortedMap<String, Integer> pools = new TreeMap<>();
        for (String name : threadNames) {
            pools.merge(pool(name), 1, Integer::sum);
        }
        return pools;
    }

    static String pool(String threadName) {
        Matcher digits = TRAILING_DIGITS.matcher(threadName);
        return digits.find() ? threadName.substring(0, digits.start()) + "*" : threadName;
    }

    /** The pools without the JVM's compiler threads, for telling whether the application's threads have settled. */
    static Map<String, Integer> withoutJvmCompilerThreads(Map<String, Integer> pools) {
        SortedMap<String, Integer> application = new TreeMap<>(pools);
        application.keySet().removeIf(pool -> JVM_COMPILER.matcher(pool).matches());
        return application;
    }

    /** The pools whose count differs, by name; a pool missing from one reading counts 0 there. */
    static List<Change> changes(Map<String, Integer> before, Map<String, Integer> after) {
        Set<String> pools = new TreeSet<>(before.keySet());
        pools.addAll(after.keySet());
        List<Change> changes = new ArrayList<>();
        for (String pool : pools) {
            int b = before.getOrDefault(pool, 0);
            int a = after.getOrDefault(pool, 0);
            if (a != b) {
                changes.add(new Change(pool, b, a));
            }
        }
        return changes;
    }
}
