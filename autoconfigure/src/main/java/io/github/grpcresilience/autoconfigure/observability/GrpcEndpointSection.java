package io.github.grpcresilience.autoconfigure.observability;

import java.util.Map;

/**
 * A section of the {@code grpc} actuator endpoint contributed by a capability (streams, pools):
 * listed under its name in {@code GET /actuator/grpc}, one item at
 * {@code GET /actuator/grpc/{section}/{name}}. Implementations are beans.
 */
public interface GrpcEndpointSection {

    /** The section's name, e.g. {@code streams}. */
    String name();

    /** Every item, by name. */
    Map<String, Object> describeAll();

    /** One item, or {@code null} when there is none of that name. */
    Map<String, Object> describe(String item);
}
