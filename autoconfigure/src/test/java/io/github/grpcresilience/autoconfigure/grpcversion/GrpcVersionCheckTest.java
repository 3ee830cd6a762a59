package io.github.grpcresilience.autoconfigure.grpcversion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * The class path check: versions read from the jars' manifests, a mixed or too old class path
 * refused with every artifact's version and the fix, and a consistent one let through.
 */
@ExtendWith(OutputCaptureExtension.class)
class GrpcVersionCheckTest {

    @TempDir
    Path jars;

    @Test
    void readsEveryArtifactOfThisClassPathWithOneVersionTheStarterIsBuiltWith() {
        ClassLoader loader = getClass().getClassLoader();
        Map<String, String> versions = GrpcArtifactVersions.of(loader);
        String builtWith = GrpcVersionCheck.builtWith(loader);
        assertThat(builtWith).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(versions).containsKeys("grpc-api", "grpc-core", "grpc-stub", "grpc-protobuf", "grpc-services",
                "grpc-netty", "grpc-netty-shaded", "grpc-inprocess", "grpc-util");
        assertThat(versions.values()).containsOnly(builtWith);
        GrpcVersionCheck.check(versions, builtWith);
    }

    @Test
    void aMixedClassPathIsRefusedNamingEveryVersion() throws IOException {
        ClassLoader mixed = new URLClassLoader(new URL[] {
            jar("grpc-api.jar", "1.85.1", "io/grpc/ManagedChannel.class"),
            jar("grpc-stub.jar", "1.63.0", "io/grpc/stub/ClientCalls.class"),
            jar("grpc-netty-shaded.jar", "1.63.0", "io/grpc/netty/shaded/io/grpc/netty/NettyChannelBuilder.class")},
                null);
        Map<String, String> versions = GrpcArtifactVersions.of(mixed);
        assertThat(versions).containsExactly(Map.entry("grpc-api", "1.85.1"),
                Map.entry("grpc-netty-shaded", "1.63.0"), Map.entry("grpc-stub", "1.63.0"));
        assertThatThrownBy(() -> GrpcVersionCheck.check(versions, "1.85.1"))
                .isInstanceOf(MixedGrpcVersionsException.class)
                .hasMessage("grpc-java artifacts on the class path: 1.63.0 (grpc-netty-shaded, grpc-stub), "
                        + "1.85.1 (grpc-api); they must all have the same version");
    }

    @Test
    void oneOlderVersionThanTheStarterNeedsIsRefused() {
        assertThatThrownBy(() -> GrpcVersionCheck.check(Map.of("grpc-api", "1.63.0", "grpc-stub", "1.63.0"), "1.85.1"))
                .hasMessageEndingWith("grpc-resilience is built and tested with grpc-java 1.85.1 and needs 1.85 or newer");
        GrpcVersionCheck.check(Map.of("grpc-api", "1.85.0"), "1.85.1");
        GrpcVersionCheck.check(Map.of("grpc-api", "1.86.2"), "1.85.1");
        GrpcVersionCheck.check(Map.of("grpc-api", "2.0.0"), "1.85.1");
        GrpcVersionCheck.check(Map.of(), "1.85.1");
    }

    @Test
    void theLowestVersionAnyStarterJarIsBuiltWithIsTheOneRequired() throws IOException {
        ClassLoader boot4 = new URLClassLoader(new URL[] {
            buildProperties("autoconfigure", "1.85.1"), buildProperties("boot4-autoconfigure", "1.84.1")}, null);
        assertThat(GrpcVersionCheck.builtWith(boot4)).isEqualTo("1.84.1");
        ClassLoader reversed = new URLClassLoader(new URL[] {
            buildProperties("boot4-autoconfigure", "1.84.1"), buildProperties("autoconfigure", "1.85.1")}, null);
        assertThat(GrpcVersionCheck.builtWith(reversed)).isEqualTo("1.84.1");
        GrpcVersionCheck.check(Map.of("grpc-api", "1.84.1"), GrpcVersionCheck.builtWith(boot4));
    }

    @Test
    void versionsAreOrderedByTheirNumbers() {
        assertThat(MixedGrpcVersionsException.describe(Map.of("grpc-api", "1.100.0", "grpc-stub", "1.9.1",
                "grpc-core", "1.63.0"))).isEqualTo("1.9.1 (grpc-stub), 1.63.0 (grpc-core), 1.100.0 (grpc-api)");
    }

    @Test
    void anApplicationOnAMixedClassPathFailsAtStartupWithTheVersionsAndTheFix(CapturedOutput output) throws IOException {
        URL olderStub = jar("grpc-stub.jar", "1.63.0", "io/grpc/stub/ClientCalls.class");
        ClassLoader real = getClass().getClassLoader();
        // The test's own class path, except that grpc-stub's marker class comes from an older jar.
        ClassLoader mixed = new ClassLoader(real) {
            @Override
            public URL getResource(String name) {
                if (name.equals("io/grpc/stub/ClientCalls.class")) {
                    try {
                        return new URL("jar:" + olderStub + "!/" + name);
                    } catch (IOException ex) {
                        throw new IllegalStateException(ex);
                    }
                }
                return super.getResource(name);
            }
        };
        SpringApplication application = new SpringApplication(new DefaultResourceLoader(mixed), App.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatThrownBy(() -> application.run("--grpc.server.port=-1", "--spring.main.banner-mode=off"))
                .isInstanceOf(MixedGrpcVersionsException.class);
        assertThat(output).contains("The class path mixes grpc-java versions")
                .contains("1.63.0 (grpc-stub), " + GrpcVersionCheck.builtWith(real) + " (grpc-api, grpc-core, ")
                .contains("import io.grpc:grpc-bom " + GrpcVersionCheck.builtWith(real));
    }

    @Test
    void aDisabledStarterDoesNotCheck() throws IOException {
        URL olderStub = jar("grpc-stub.jar", "1.63.0", "io/grpc/stub/ClientCalls.class");
        ClassLoader mixed = new URLClassLoader(new URL[] {olderStub}, getClass().getClassLoader()) {
            @Override
            public URL getResource(String name) {
                URL own = findResource(name);
                return own != null ? own : super.getResource(name);
            }
        };
        SpringApplication application = new SpringApplication(new DefaultResourceLoader(mixed), App.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.run("--grpc.server.port=-1", "--spring.main.banner-mode=off", "--grpc.resilience.enabled=false")
                .close();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }

    /** A class path directory holding a build.properties that names {@code grpcVersion}. */
    private URL buildProperties(String directory, String grpcVersion) throws IOException {
        Path file = jars.resolve(directory).resolve(GrpcVersionCheck.BUILD_PROPERTIES);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "grpc.version=" + grpcVersion + "\n");
        return jars.resolve(directory).toUri().toURL();
    }

    /** A jar whose manifest says {@code version} and which holds an (empty) {@code resource}. */
    private URL jar(String name, String version, String resource) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
        Path jar = jars.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry(resource));
            out.closeEntry();
        }
        return jar.toUri().toURL();
    }
}
