package io.github.grpcresilience.boot4.benchmarks;

import java.io.IOException;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;

/** The same main class started in one JVM per selected side, all stopped together. */
final class SideJvms extends AbstractList<SideJvm> implements AutoCloseable {

    private final List<SideJvm> jvms = new ArrayList<>();

    private SideJvms() {
    }

    static SideJvms start(Class<?> mainClass, String... args) throws IOException {
        SideJvms all = new SideJvms();
        try {
            for (Side side : Side.selected()) {
                all.jvms.add(SideJvm.start(side, mainClass, args));
            }
        } catch (IOException | RuntimeException e) {
            all.close();
            throw e;
        }
        return all;
    }

    @Override
    public SideJvm get(int index) {
        return jvms.get(index);
    }

    @Override
    public int size() {
        return jvms.size();
    }

    @Override
    public void close() {
        jvms.forEach(SideJvm::close);
    }
}
