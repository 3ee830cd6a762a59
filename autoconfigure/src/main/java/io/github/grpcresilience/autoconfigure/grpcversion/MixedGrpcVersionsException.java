package io.github.grpcresilience.autoconfigure.grpcversion;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The class path holds grpc-java artifacts of different versions, or older than the starter needs. */
public class MixedGrpcVersionsException extends IllegalStateException {

    private final Map<String, String> versions;
    private final String builtWith;
    private final String reason;

    MixedGrpcVersionsException(Map<String, String> versions, String builtWith, String reason) {
        super("grpc-java artifacts on the class path: " + describe(versions) + "; " + reason);
        this.versions = Collections.unmodifiableMap(new TreeMap<>(versions));
        this.builtWith = builtWith;
        this.reason = reason;
    }

    /** The artifacts grouped by version, oldest first: "1.63.0 (grpc-stub), 1.85.1 (grpc-api, grpc-core)". */
    static String describe(Map<String, String> versions) {
        Map<String, List<String>> byVersion = new TreeMap<>(GrpcVersionCheck::compareVersions);
        new TreeMap<>(versions).forEach((artifact, version) ->
                byVersion.computeIfAbsent(version, v -> new ArrayList<>()).add(artifact));
        return byVersion.entrySet().stream()
                .map(entry -> entry.getKey() + " (" + String.join(", ", entry.getValue()) + ")")
                .collect(Collectors.joining(", "));
    }

    public Map<String, String> getVersions() {
        return versions;
    }

    public String getBuiltWith() {
        return builtWith;
    }

    public String getReason() {
        return reason;
    }
}
