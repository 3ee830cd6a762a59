package io.github.grpcresilience.autoconfigure.grpcversion;

import java.util.Map;
import java.util.stream.Collectors;

/** The class path holds grpc-java artifacts of different versions, or older than the starter needs. */
public class MixedGrpcVersionsException extends IllegalStateException {

    private final Map<String, String> versions;
    private final String builtWith;
    private final String reason;

    MixedGrpcVersionsException(Map<String, String> versions, String builtWith, String reason) {
        super("grpc-java artifacts on the class path: " + describe(versions) + "; " + reason);
        this.versions = Map.copyOf(versions);
        this.builtWith = builtWith;
        this.reason = reason;
    }

    /** "grpc-api 1.85.1, grpc-stub 1.63.0", in artifact order. */
    static String describe(Map<String, String> versions) {
        return versions.entrySet().stream().map(entry -> entry.getKey() + " " + entry.getValue())
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
