package io.github.grpcresilience.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The users' applications under {@code apps/}, built once per test JVM with the project's own Maven
 * wrapper, as a user's build would: {@code mvnw -B -q package} of a copy under {@code target/}.
 *
 * <p>The build reads and writes {@code target/apps-repository} (where invoker:install put this
 * build's starter) and falls back to this build's local repository, read-only
 * ({@code maven.repo.local.tail}); Maven Central is reached for anything neither holds.
 */
final class DropInApps {

    static final Path PROJECT_ROOT = path("dropin.projectRoot");
    static final Path WORK = path("dropin.work");
    static final String GRPC_VERSION = System.getProperty("dropin.grpcVersion");
    /** The grpc-java version Spring Boot 4.1 manages, which its applications get. */
    static final String BOOT4_GRPC_VERSION = System.getProperty("dropin.boot4GrpcVersion");

    private static final Path APPS = path("dropin.apps");
    private static final long BUILD_TIMEOUT_MINUTES = 10;

    private static Path built;
    private static String buildFailure;
    private static long buildMillis;

    private DropInApps() {
    }

    /** The packaged (repackaged, executable) jar of one application; builds all of them once. */
    static synchronized Path jar(String app) {
        if (built == null && buildFailure == null) {
            build();
        }
        Path jar = WORK.resolve("apps").resolve(app).resolve("target").resolve(app + "-1.0.0.jar");
        assertThat(jar).as("jar of %s; the applications' build %s", app,
                buildFailure == null ? "succeeded" : "failed:\n" + buildFailure).isRegularFile();
        return jar;
    }

    static synchronized long buildMillis() {
        return buildMillis;
    }

    private static void build() {
        Path copy = WORK.resolve("apps");
        Path log = WORK.resolve("logs").resolve("apps-build.log");
        try {
            deleteRecursively(copy);
            copyRecursively(APPS, copy);
            Files.createDirectories(log.getParent());
            List<String> command = new ArrayList<>(List.of(
                    PROJECT_ROOT.resolve("mvnw").toString(), "-B", "-q", "--fail-at-end",
                    "-f", copy.resolve("pom.xml").toString(),
                    "-Dmaven.repo.local=" + path("dropin.repository"),
                    "-Dmaven.repo.local.tail=" + path("dropin.repositoryTail"),
                    "package"));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(copy.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            long start = System.nanoTime();
            Process process = builder.start();
            try {
                if (!process.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                    buildFailure = "timed out after " + BUILD_TIMEOUT_MINUTES + " min; " + tail(log);
                    return;
                }
            } finally {
                process.destroyForcibly();
            }
            buildMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("drop-in applications built in %.1f s (exit code %d); log: %s%n",
                    buildMillis / 1000.0, process.exitValue(), log);
            if (process.exitValue() != 0) {
                buildFailure = "exit code " + process.exitValue() + "; " + tail(log);
            }
            built = copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return "last lines of " + log + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(" + log + " unreadable: " + e + ")";
        }
    }

    private static Path path(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is set by the failsafe configuration");
        }
        return Paths.get(value).toAbsolutePath().normalize();
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path relative = from.relativize(file);
                if (isBuildOutput(relative)) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static boolean isBuildOutput(Path relative) {
        for (Path element : relative) {
            if (element.toString().equals("target")) {
                return true;
            }
        }
        return false;
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.sorted((a, b) -> b.compareTo(a))::iterator) {
                Files.delete(file);
            }
        }
    }
}
