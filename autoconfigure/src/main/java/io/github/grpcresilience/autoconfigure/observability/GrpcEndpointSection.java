package io.github.grpcresilience.autoconfigure.observability;

import java.util.Map;

/**
 * A section of the {@code grpc} actuator endpoint contributed by a capability (streams, pools):
 * listed under its name in {@code GET /actuator/grpc}, one item at
 * {@code GET /actuator/grpc/{section}/{name}}. Implementations are beans.
 *
 * @param <T> the item's view, a record that Jackson renders as the item's JSON
 */
public interface GrpcEndpointSection<T> {

    /** The section's name, e.g. {@code streams}. */
    String name();

    /** Every item, by name, in name order. */
    Map<String, T> describeAll();

    /** One item, or {@code null} when there is none of that name. */
    T describe(String item);
}
