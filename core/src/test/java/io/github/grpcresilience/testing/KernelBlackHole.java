package io.github.grpcresilience.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A peer that vanishes without FIN or RST: an nftables table that silently drops every TCP packet
 * to or from one port on loopback (or one address and port), so both ends see a black hole. Needs root and {@code nft}; no
 * network namespace. A JVM shutdown hook removes any table left engaged, so a crashed test never
 * leaves a rule behind.
 *
 * <p>Thread-safety: engage and release may be called from any thread; the set of engaged tables
 * is concurrent.
 */
public final class KernelBlackHole implements AutoCloseable {

    private static final long NFT_TIMEOUT_SECONDS = 10;
    private static final Set<String> ENGAGED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ENGAGED.forEach(table -> {
            try {
                nft("delete table " + table + "\n");
            } catch (RuntimeException ignored) {
                // best effort at JVM exit
            }
        }), "kernel-black-hole-cleanup"));
    }

    private final String table;
    /** What the rules match before the port: nothing (every address) or {@code ip saddr/daddr} of one address. */
    private final String sourceMatch;
    private final String destinationMatch;
    private final int port;

    private KernelBlackHole(String table, String sourceMatch, String destinationMatch, int port) {
        this.table = table;
        this.sourceMatch = sourceMatch;
        this.destinationMatch = destinationMatch;
        this.port = port;
    }

    /** A black hole for the port; nothing is dropped until {@link #engage()}. */
    public static KernelBlackHole forPort(int port) {
        return new KernelBlackHole("inet grpc_resilience_test_" + port, "", "", port);
    }

    /**
     * A black hole for one IPv4 loopback address and port (a lost node whose neighbours on other
     * 127.0.0.0/8 addresses share the port); nothing is dropped until {@link #engage()}.
     */
    public static KernelBlackHole forAddress(String ipv4, int port) {
        if (!ipv4.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("not an IPv4 address: " + ipv4);
        }
        return new KernelBlackHole("inet grpc_resilience_test_" + ipv4.replace('.', '_') + "_" + port,
                "ip saddr " + ipv4 + " ", "ip daddr " + ipv4 + " ", port);
    }

    /** Whether this process can create nftables rules (root and a working {@code nft}). */
    public static boolean available() {
        return succeeds("nft", "list", "tables");
    }

    /** Skips the test where kernel faults are impossible, but fails in CI, where they must run. */
    public static void assumeOrFailInCi() {
        if (available()) {
            return;
        }
        String reason = "kernel black-hole tests need root and nftables (apt-get install nftables)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(reason + "; CI must run them");
        }
        Assumptions.assumeTrue(false, reason);
    }

    /** Starts dropping every packet to and from the port. */
    public void engage() {
        release();
        nft("add table " + table + "\n"
                + "add chain " + table + " input { type filter hook input priority 0 ; policy accept ; }\n"
                + "add rule " + table + " input " + destinationMatch + "tcp dport " + port + " drop\n"
                + "add rule " + table + " input " + sourceMatch + "tcp sport " + port + " drop\n");
        ENGAGED.add(table);
    }

    /** Stops dropping; does nothing when not engaged. */
    public void release() {
        if (ENGAGED.remove(table) || tableExists()) {
            nft("delete table " + table + "\n");
        }
    }

    @Override
    public void close() {
        release();
    }

    private boolean tableExists() {
        return succeeds("nft", "list", "table", "inet", table.substring("inet ".length()));
    }

    /** Runs a command and tells whether it exited 0 within the timeout. */
    private static boolean succeeds(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(NFT_TIMEOUT_SECONDS, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException ex) {
            return false;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void nft(String ruleset) {
        try {
            Process process = new ProcessBuilder("nft", "-f", "-").redirectErrorStream(true).start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(ruleset.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(NFT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("nft did not finish within " + NFT_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("nft failed (" + process.exitValue() + "): " + output.trim()
                        + "\nruleset:\n" + ruleset);
            }
        } catch (IOException ex) {
            throw new IllegalStateException("cannot run nft: " + ex.getMessage(), ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running nft", ex);
        }
    }
}
