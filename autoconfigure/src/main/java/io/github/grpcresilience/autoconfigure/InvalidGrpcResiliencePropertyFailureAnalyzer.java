package io.github.grpcresilience.autoconfigure;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * Reports an {@link InvalidGrpcResiliencePropertyException} naming the property, where its value
 * comes from (the file and line, or the environment variable, as Spring Boot's own binding report
 * does) and the fix.
 */
class InvalidGrpcResiliencePropertyFailureAnalyzer
        extends AbstractFailureAnalyzer<InvalidGrpcResiliencePropertyException> {

    private final Environment environment;

    InvalidGrpcResiliencePropertyFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidGrpcResiliencePropertyException cause) {
        String description = String.format("Invalid gRPC resilience configuration:%n%n    Property: %s%n"
                + "    Value: %s%n%s    Reason: %s", cause.getProperty(), cause.getValue(), origin(cause.getProperty()),
                cause.getProblem());
        return new FailureAnalysis(description, cause.getAction(), cause);
    }

    /** {@code "    Origin: ...\n"}, or nothing when the property is not set (a default) or not a property name. */
    private String origin(String property) {
        if (environment == null || !ConfigurationPropertyName.isValid(property)) {
            return "";
        }
        ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty found = source.getConfigurationProperty(name);
            if (found != null && found.getOrigin() != null) {
                return String.format("    Origin: %s%n", found.getOrigin());
            }
        }
        return "";
    }
}
