package io.github.grpcresilience.autoconfigure;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Explains a {@code grpc.resilience} value that cannot be converted (for example {@code 20 sec} for
 * a duration) with an example of the right form. Ordered before Spring Boot's generic bind analyzer.
 */
class GrpcResiliencePropertyBindFailureAnalyzer extends AbstractFailureAnalyzer<BindException>
        implements Ordered {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
        ConfigurationProperty property = cause.getProperty();
        if (property == null
                || !property.getName().toString().startsWith(GrpcResilienceProperties.PREFIX + ".")) {
            return null;
        }
        String name = property.getName().toString();
        boolean duration = Duration.class.equals(cause.getTarget().getType().resolve());
        String expected = duration ? "a duration" : "a value of type " + cause.getTarget().getType();
        String description = String.format("Invalid gRPC resilience configuration:%n%n    Property: %s%n"
                + "    Value: %s%n    Origin: %s%n    Reason: it is not %s", name, property.getValue(),
                property.getOrigin(), expected);
        String action = duration
                ? "Set " + name + " to a duration such as 20s, 500ms or 5m (an integer alone means milliseconds)."
                : "Set " + name + " to " + expected + ".";
        return new FailureAnalysis(description, action, cause);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
