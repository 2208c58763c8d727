package org.seggateway.gateway.work;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Works off a queue of due rows with a few loops at once (virtual threads), each taking the next row until none is
 * left: deliveries and notifications claim their rows with {@code for update skip locked}, so the loops never collide.
 */
public final class ParallelDrain {
    private ParallelDrain() {}

    /** Takes and handles the next due row; empty when none is left. */
    @FunctionalInterface
    public interface Next<T> {
        Optional<T> take() throws SQLException;
    }

    /** Runs {@code loops} loops over {@code next} until it is empty; a loop that fails is logged and ends. */
    public static <T> List<T> drain(int loops, Next<T> next, Logger log, String what) {
        List<T> done = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < Math.max(1, loops); i++) {
                executor.execute(() -> {
                    try {
                        for (Optional<T> a; (a = next.take()).isPresent(); ) done.add(a.get());
                    } catch (SQLException | RuntimeException e) {
                        log.errorf("%s stopped: %s", what, e.toString());
                    }
                });
            }
        }
        return List.copyOf(done);
    }
}
