package io.github.grpcresilience.autoconfigure.adapter;

import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.OrderUtils;

/**
 * Where the starter's customizers land among the integration's own hooks (net.devh's configurers,
 * Spring gRPC's builder customizers). Both apply their hook beans sorted by order; an adapter puts
 * the customizers in two of them: the ordered customizers (the starter's own, all at or after
 * {@code ResilientChannelConfigurer.ORDER}) at that order, before a user's hooks, and the unordered
 * ones at the lowest precedence, among the user's, exactly where each would have landed as a hook
 * of its own.
 */
public enum CustomizerOrder {
    /** Customizers that implement {@link Ordered} or carry {@code @Order}. */
    ORDERED,
    /** The others, which the integration would have sorted last. */
    UNORDERED;

    /** The customizers of {@code all} (already sorted) that belong to this group. */
    public <T> List<T> select(List<T> all) {
        return all.stream().filter(customizer -> of(customizer) == this).toList();
    }

    private static CustomizerOrder of(Object customizer) {
        return customizer instanceof Ordered || OrderUtils.getOrder(customizer.getClass()) != null ? ORDERED
                : UNORDERED;
    }
}
