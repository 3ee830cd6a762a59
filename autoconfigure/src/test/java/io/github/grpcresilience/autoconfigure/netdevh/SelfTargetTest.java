package io.github.grpcresilience.autoconfigure.netdevh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SelfTargetTest {

    @ParameterizedTest
    @CsvSource({
            "self:self, true",
            "static://127.0.0.1:9090, true",
            "static://localhost:9090, true",
            "dns:///localhost:9090, true",
            "dns:///127.0.0.1:9090, true",
            "static://127.0.0.1:9091, false",
            "static://10.0.0.1:9090, false",
            "dns:///inventory:9090, false",
            "in-process:test, false",
            "discovery:///inventory, false"})
    void recognisesTheApplicationsOwnServer(String address, boolean self) {
        assertThat(NetDevhProperties.targetsOwnServer(address, 9090)).isEqualTo(self);
    }
}
