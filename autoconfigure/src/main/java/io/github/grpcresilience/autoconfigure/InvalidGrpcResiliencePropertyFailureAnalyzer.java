package io.github.grpcresilience.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports an {@link InvalidGrpcResiliencePropertyException} naming the property and the fix. */
class InvalidGrpcResiliencePropertyFailureAnalyzer
        extends AbstractFailureAnalyzer<InvalidGrpcResiliencePropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidGrpcResiliencePropertyException cause) {
        String description = String.format("Invalid gRPC resilience configuration:%n%n    Property: %s%n"
                + "    Value: %s%n    Reason: %s", cause.getProperty(), cause.getValue(), cause.getProblem());
        return new FailureAnalysis(description, cause.getAction(), cause);
    }
}
