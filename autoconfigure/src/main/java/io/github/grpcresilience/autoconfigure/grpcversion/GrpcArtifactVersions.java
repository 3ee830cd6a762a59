package io.github.grpcresilience.autoconfigure.grpcversion;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Manifest;

/**
 * The version of each grpc-java artifact on a class path, read from the {@code Implementation-Version}
 * of the jar that holds one class of that artifact (grpc-java's jars carry no Maven metadata).
 * Works for plain jars and for jars nested in a Spring Boot executable jar; an artifact that is
 * absent, or whose class comes from a directory or a jar without a version, is left out.
 */
final class GrpcArtifactVersions {

    /** One class that lives in each artifact and nowhere else, in every version since 1.50. */
    private static final Map<String, String> MARKER_CLASSES = markerClasses();

    private GrpcArtifactVersions() {
    }

    private static Map<String, String> markerClasses() {
        Map<String, String> markers = new LinkedHashMap<>();
        markers.put("grpc-api", "io/grpc/ManagedChannel.class");
        markers.put("grpc-core", "io/grpc/internal/GrpcUtil.class");
        markers.put("grpc-util", "io/grpc/util/OutlierDetectionLoadBalancer.class");
        markers.put("grpc-stub", "io/grpc/stub/ClientCalls.class");
        markers.put("grpc-protobuf", "io/grpc/protobuf/ProtoUtils.class");
        markers.put("grpc-protobuf-lite", "io/grpc/protobuf/lite/ProtoLiteUtils.class");
        markers.put("grpc-services", "io/grpc/protobuf/services/HealthStatusManager.class");
        markers.put("grpc-inprocess", "io/grpc/inprocess/InProcessChannelBuilder.class");
        markers.put("grpc-netty", "io/grpc/netty/NettyChannelBuilder.class");
        markers.put("grpc-netty-shaded", "io/grpc/netty/shaded/io/grpc/netty/NettyChannelBuilder.class");
        return Map.copyOf(markers);
    }

    /** Artifact name to version, in a stable order, for every artifact found with a version. */
    static Map<String, String> of(ClassLoader classLoader) {
        Map<String, String> versions = new TreeMap<>();
        MARKER_CLASSES.forEach((artifact, resource) -> {
            URL url = classLoader.getResource(resource);
            String version = url == null ? null : implementationVersion(url, resource);
            if (version != null) {
                versions.put(artifact, version);
            }
        });
        return versions;
    }

    /** The version in the manifest of the jar that {@code url} (a class in it) points into. */
    private static String implementationVersion(URL url, String resource) {
        String external = url.toExternalForm();
        if (!external.startsWith("jar:") || !external.endsWith(resource)) {
            return null;
        }
        try (InputStream in = new URL(external.substring(0, external.length() - resource.length())
                + "META-INF/MANIFEST.MF").openStream()) {
            return new Manifest(in).getMainAttributes().getValue("Implementation-Version");
        } catch (IOException ex) {
            return null; // unreadable: nothing to compare, the class loader will say the rest
        }
    }
}
