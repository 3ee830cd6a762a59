package io.github.grpcresilience.autoconfigure.grpcversion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Refuses to start on a class path whose grpc-java artifacts have different versions, or are
 * older than the one the starter is built with. Without it such a class path fails later, somewhere
 * in the middle of the context, with a {@code NoClassDefFoundError} or {@code NoSuchMethodError}
 * that names neither the cause nor the fix (a build that pulls grpc-java through net.devh 3.1.0
 * gets 1.63 for some artifacts and a newer version for others).
 *
 * <p>Runs before any bean exists, as an {@link EnvironmentPostProcessor}; switched off with
 * {@code grpc.resilience.enabled=false} like the rest of the starter.
 */
public class GrpcVersionCheck implements EnvironmentPostProcessor, Ordered {

    static final String BUILD_PROPERTIES = "META-INF/grpc-resilience/build.properties";

    /** After the application's configuration files are read, so {@code grpc.resilience.enabled} there counts. */
    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER + 1;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty("grpc.resilience.enabled", Boolean.class, true)) {
            return;
        }
        ClassLoader classLoader = application.getClassLoader();
        check(GrpcArtifactVersions.of(classLoader), builtWith(classLoader));
    }

    /** Throws {@link MixedGrpcVersionsException} unless every version is the same and not older than required. */
    static void check(Map<String, String> versions, String builtWith) {
        if (versions.isEmpty()) {
            return;
        }
        if (new TreeSet<>(versions.values()).size() > 1) {
            throw new MixedGrpcVersionsException(versions, builtWith, "they must all have the same version");
        }
        String found = versions.values().iterator().next();
        if (olderMinor(found, builtWith)) {
            throw new MixedGrpcVersionsException(versions, builtWith,
                    "grpc-resilience is built and tested with grpc-java " + builtWith + " and needs "
                            + majorMinor(builtWith) + " or newer");
        }
    }

    /** Orders versions by their numbers ("1.9.0" before "1.63.0"), then as text. */
    static int compareVersions(String left, String right) {
        String[] a = left.split("[.-]");
        String[] b = right.split("[.-]");
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            int order;
            try {
                order = Integer.compare(Integer.parseInt(a[i]), Integer.parseInt(b[i]));
            } catch (NumberFormatException ex) {
                order = a[i].compareTo(b[i]);
            }
            if (order != 0) {
                return order;
            }
        }
        return left.compareTo(right);
    }

    /** Whether {@code version}'s major.minor is below {@code required}'s; unparsable versions pass. */
    static boolean olderMinor(String version, String required) {
        int[] have = majorMinorNumbers(version);
        int[] need = majorMinorNumbers(required);
        if (have == null || need == null) {
            return false;
        }
        return have[0] < need[0] || (have[0] == need[0] && have[1] < need[1]);
    }

    private static String majorMinor(String version) {
        int[] numbers = majorMinorNumbers(version);
        return numbers == null ? version : numbers[0] + "." + numbers[1];
    }

    private static int[] majorMinorNumbers(String version) {
        String[] parts = version.split("[.-]");
        try {
            return parts.length < 2 ? null : new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (NumberFormatException ex) {
            return null;
        }
    }

    /**
     * The grpc-java version the starter was built and tested with, written into its jars by the
     * build: the lowest any of them names, as the Spring Boot 4.1 auto-configuration (tested on the
     * 1.84 Spring Boot 4.1 manages) runs this module's classes, built with a newer one.
     */
    static String builtWith(ClassLoader classLoader) {
        ClassLoader loader = classLoader != null ? classLoader : GrpcVersionCheck.class.getClassLoader();
        try {
            String lowest = null;
            for (URL url : Collections.list(loader.getResources(BUILD_PROPERTIES))) {
                Properties properties = new Properties();
                try (InputStream in = url.openStream()) {
                    properties.load(in);
                }
                String version = properties.getProperty("grpc.version");
                if (version != null && (lowest == null || compareVersions(version, lowest) < 0)) {
                    lowest = version;
                }
            }
            if (lowest == null) {
                throw new IllegalStateException(BUILD_PROPERTIES + " is missing from the grpc-resilience jar");
            }
            return lowest;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
