package dev.fleetrun.aws;

import java.util.function.Supplier;

/**
 * A value made on first use and then kept: how a function builds only the clients it calls, once.
 * Thread-safe; the factory runs at most once.
 */
public final class Lazy<T> implements Supplier<T> {
    private final Supplier<T> factory;
    private volatile T value;

    private Lazy(Supplier<T> factory) {
        this.factory = factory;
    }

    public static <T> Lazy<T> of(Supplier<T> factory) {
        return new Lazy<>(factory);
    }

    @Override
    public T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) {
                    v = factory.get();
                    value = v;
                }
            }
        }
        return v;
    }
}
