package io.github.grpcresilience.serviceconfig;

import io.grpc.Status;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/** Renders values the way grpc-java's service-config parser reads them. */
final class ConfigValues {

    private ConfigValues() {
    }

    /** Decimal seconds with an {@code s} suffix ({@code 0.1s}); grpc-java rejects {@code 100ms}. */
    static String seconds(Duration value) {
        BigDecimal seconds = BigDecimal.valueOf(value.getSeconds()).add(BigDecimal.valueOf(value.getNano(), 9));
        return seconds.stripTrailingZeros().toPlainString() + "s";
    }

    /** JSON numbers are doubles in grpc-java's parser. */
    static Double number(double value) {
        return value;
    }

    static List<String> codes(Collection<Status.Code> codes) {
        return codes.stream().map(Status.Code::name).sorted().toList();
    }
}
