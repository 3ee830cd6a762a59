package io.github.grpcresilience.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The io.grpc jars each packaged application ships in BOOT-INF/lib, as Maven resolved them for the user. */
class GrpcVersionsIT {

    /** grpc-java's own jars: grpc-api-1.85.1.jar; not net.devh's (…-3.1.0.RELEASE) nor the starter's. */
    private static final Pattern GRPC_JAVA_JAR = Pattern.compile("BOOT-INF/lib/(grpc-[a-z-]+)-(\\d+\\.\\d+\\.\\d+)\\.jar");

    @ParameterizedTest
    @ValueSource(strings = {"quickstart-app", "servlet-app", "webflux-app", "client-app", "plain-app"})
    void everyGrpcJavaJarHasTheStartersVersion(String app) throws IOException {
        Map<String, String> versions = grpcJavaJars(DropInApps.jar(app));

        assertThat(versions).containsKeys("grpc-api", "grpc-core", "grpc-stub", "grpc-protobuf", "grpc-services");
        assertThat(Collections.frequency(versions.values(), DropInApps.GRPC_VERSION))
                .as("%s: %s", app, versions).isEqualTo(versions.size());
    }

    /**
     * On Spring Boot 4.1 the application's grpc-java is the one Boot manages (its BOM imports
     * io.grpc:grpc-bom), for the starter's artifacts too: the starter never brings its own build's version.
     */
    @ParameterizedTest
    @ValueSource(strings = {"boot4-servlet-app", "boot4-webflux-app", "boot4-client-app", "boot4-plain-app"})
    void everyGrpcJavaJarOfABoot4ApplicationHasSpringBootsVersion(String app) throws IOException {
        Map<String, String> versions = grpcJavaJars(DropInApps.jar(app));

        assertThat(versions).containsKeys("grpc-api", "grpc-core", "grpc-stub", "grpc-netty", "grpc-services",
                "grpc-inprocess");
        assertThat(Collections.frequency(versions.values(), DropInApps.BOOT4_GRPC_VERSION))
                .as("%s: %s", app, versions).isEqualTo(versions.size());
    }

    @ParameterizedTest
    @ValueSource(strings = "mixed-versions-app")
    void theMixedApplicationReallyMixes(String app) throws IOException {
        Map<String, String> versions = grpcJavaJars(DropInApps.jar(app));

        assertThat(versions).containsEntry("grpc-api", "1.63.0").containsEntry("grpc-core", DropInApps.GRPC_VERSION);
    }

    private static Map<String, String> grpcJavaJars(Path jar) throws IOException {
        Map<String, String> versions = new TreeMap<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            file.stream().forEach(entry -> {
                Matcher matcher = GRPC_JAVA_JAR.matcher(entry.getName());
                if (matcher.matches()) {
                    versions.put(matcher.group(1), matcher.group(2));
                }
            });
        }
        return versions;
    }
}
