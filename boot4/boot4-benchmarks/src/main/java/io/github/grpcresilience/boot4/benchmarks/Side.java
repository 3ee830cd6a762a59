package io.github.grpcresilience.boot4.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The two applications compared: plain Spring Boot 4.1 gRPC, and the same application with the
 * starter on its class path. They differ by class path only: the plain side's is this JVM's minus
 * every jar (or classes directory) that registers a grpc-resilience auto-configuration, so nothing
 * of the starter can switch itself on there.
 */
enum Side {
    PLAIN("plain Spring Boot gRPC"),
    STARTER("starter defaults");

    private static final String IMPORTS = "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports";

    final String label;

    Side(String label) {
        this.label = label;
    }

    /**
     * The sides this run compares: {@code -Dsides=plain,starter} (the default) or one of them, for
     * a build where one side cannot start.
     */
    static List<Side> selected() {
        return Arrays.stream(System.getProperty("sides", "plain,starter").split(","))
                .map(name -> Side.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT))).sorted().toList();
    }

    String classPath() {
        String full = System.getProperty("java.class.path");
        if (this == STARTER) {
            return full;
        }
        List<String> starterRoots = starterRoots();
        if (starterRoots.isEmpty()) {
            throw new IllegalStateException("no grpc-resilience auto-configuration on the class path: "
                    + "the starter side would be the plain side");
        }
        return Arrays.stream(full.split(File.pathSeparator))
                .filter(entry -> starterRoots.stream().noneMatch(root -> sameEntry(entry, root)))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** The class path roots whose auto-configuration imports name a grpc-resilience class. */
    private static List<String> starterRoots() {
        List<String> roots = new ArrayList<>();
        try {
            for (URL url : Collections.list(Side.class.getClassLoader().getResources(IMPORTS))) {
                try (InputStream in = url.openStream()) {
                    if (new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("io.github.grpcresilience")) {
                        String external = url.toExternalForm();
                        String root = external.substring(0, external.length() - IMPORTS.length());
                        roots.add(root.startsWith("jar:") ? root.substring("jar:".length(), root.length() - 2) : root);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return roots;
    }

    private static boolean sameEntry(String classPathEntry, String rootUrl) {
        String entry = new File(classPathEntry).toURI().toString();
        return strip(entry).equals(strip(rootUrl));
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
