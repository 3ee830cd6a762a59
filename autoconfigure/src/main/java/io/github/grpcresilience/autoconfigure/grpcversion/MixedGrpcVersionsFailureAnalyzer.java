package io.github.grpcresilience.autoconfigure.grpcversion;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Names every grpc-java artifact with its version, and the one fix: import {@code io.grpc:grpc-bom}. */
class MixedGrpcVersionsFailureAnalyzer extends AbstractFailureAnalyzer<MixedGrpcVersionsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MixedGrpcVersionsException cause) {
        String description = "The class path mixes grpc-java versions, which fails at run time with "
                + "NoClassDefFoundError or NoSuchMethodError: " + MixedGrpcVersionsException.describe(cause.getVersions())
                + "; " + cause.getReason() + ".";
        String action = "Give every io.grpc artifact one version: import io.grpc:grpc-bom " + cause.getBuiltWith()
                + " (or newer) in your build's dependency management, before any other BOM that manages "
                + "io.grpc (in Maven: <dependencyManagement> with <type>pom</type> <scope>import</scope>; "
                + "in Gradle: implementation platform(\"io.grpc:grpc-bom:" + cause.getBuiltWith() + "\")), "
                + "and remove explicit versions of io.grpc artifacts. "
                + "`mvn dependency:tree -Dincludes=io.grpc` shows where each version comes from.";
        return new FailureAnalysis(description, action, cause);
    }
}
