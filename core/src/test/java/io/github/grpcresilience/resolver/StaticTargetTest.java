package io.github.grpcresilience.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaticTargetTest {

    @Test
    void rewritesNetDevhMultiAddressFormOnly() {
        assertThat(StaticTarget.rfc3986Form("static://10.0.0.1:9090,10.0.0.2:9090"))
                .contains("static:///10.0.0.1:9090,10.0.0.2:9090");
        assertThat(StaticTarget.rfc3986Form("static:///10.0.0.1:9090,10.0.0.2:9090")).isEmpty();
        assertThat(StaticTarget.rfc3986Form("static://10.0.0.1:9090")).isEmpty();
        assertThat(StaticTarget.rfc3986Form("dns:///a:1,b:2")).isEmpty();
        assertThat(StaticTarget.rfc3986Form("static://[::1]:9090,[::1]:9091"))
                .contains("static:///%5B::1%5D:9090,%5B::1%5D:9091");
    }

    @Test
    void readsTheListFromAuthorityOrPath() {
        assertThat(StaticTarget.addressList(URI.create("static://10.0.0.1:9090"))).isEqualTo("10.0.0.1:9090");
        assertThat(StaticTarget.addressList(URI.create("static:///10.0.0.1:9090,%5B::1%5D:9091")))
                .isEqualTo("10.0.0.1:9090,[::1]:9091");
    }

    @Test
    void parsesHostPortEntries() {
        assertThat(StaticTarget.parse("10.0.0.1:9090,[::1]:9091,backend", 443)).containsExactly(
                new StaticTarget.HostPort("10.0.0.1", 9090), new StaticTarget.HostPort("[::1]", 9091),
                new StaticTarget.HostPort("backend", 443));
        assertThat(StaticTarget.parse("a:1", 0)).isEqualTo(List.of(new StaticTarget.HostPort("a", 1)));
        assertThatThrownBy(() -> StaticTarget.parse("a:1,", 0)).hasMessage("'' is not host:port");
        assertThatThrownBy(() -> StaticTarget.parse("a:1:2", 0)).hasMessage("'a:1:2' is not host:port");
        assertThatThrownBy(() -> StaticTarget.parse("a", 0)).hasMessage("'a' has no valid port");
    }
}
