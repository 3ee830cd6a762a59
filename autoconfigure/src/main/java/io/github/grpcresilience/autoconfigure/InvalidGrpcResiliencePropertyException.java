package io.github.grpcresilience.autoconfigure;

/**
 * A {@code grpc.resilience} (or conflicting net.devh) property that cannot work. Thrown at startup,
 * before any connection is made, and turned into a readable report by
 * {@link InvalidGrpcResiliencePropertyFailureAnalyzer}.
 */
public class InvalidGrpcResiliencePropertyException extends RuntimeException {

    private final String property;
    private final Object value;
    private final String problem;
    private final String action;

    /**
     * @param property the full property name, e.g. {@code grpc.resilience.client.defaults.keepalive.time}
     * @param value the offending value as configured (never a credential)
     * @param problem why it cannot work
     * @param action what to change
     */
    public InvalidGrpcResiliencePropertyException(String property, Object value, String problem,
            String action) {
        super(property + "=" + value + ": " + problem);
        this.property = property;
        this.value = value;
        this.problem = problem;
        this.action = action;
    }

    public String getProperty() {
        return property;
    }

    public Object getValue() {
        return value;
    }

    public String getProblem() {
        return problem;
    }

    public String getAction() {
        return action;
    }
}
