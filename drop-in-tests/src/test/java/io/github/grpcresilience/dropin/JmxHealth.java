package io.github.grpcresilience.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Map;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The health endpoint of an application without a web server, read over JMX as an operator would
 * with jconsole: the application runs with {@code --spring.jmx.enabled=true} (Boot exposes only the
 * health endpoint over JMX by default) and the JDK's attach API reaches its platform MBean server.
 */
final class JmxHealth {

    private JmxHealth() {
    }

    /** Boot's health endpoint MBean, through the JMX agent the attach API starts in the process. */
    static Map<?, ?> of(long pid) throws Exception {
        assertThat(pid).isNotEqualTo(ManagementFactory.getRuntimeMXBean().getPid());
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            ObjectName name = new ObjectName("org.springframework.boot:type=Endpoint,name=Health");
            Object result = server.invoke(name, "health", new Object[0], new String[0]);
            assertThat(result).isInstanceOf(Map.class);
            return (Map<?, ?>) result;
        } catch (IOException e) {
            throw new IllegalStateException("JMX connection to " + address, e);
        }
    }

    /** The status of the component at {@code path} (e.g. "grpcChannels", "backend"), or null if there is none. */
    static Object status(Map<?, ?> health, String... path) {
        Map<?, ?> component = health;
        for (String name : path) {
            Object components = component.get("components");
            if (!(components instanceof Map<?, ?> children) || !(children.get(name) instanceof Map<?, ?> child)) {
                return null;
            }
            component = child;
        }
        return component.get("status");
    }
}
