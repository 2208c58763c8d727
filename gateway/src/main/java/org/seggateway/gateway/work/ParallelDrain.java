package org.seggateway.gateway.work;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import javax.sql.DataSource;
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

    /** Finds and locks the next due row ({@code for update skip locked}); null when none is due. */
    @FunctionalInterface
    public interface Claim<D> {
        D claim(Connection c) throws SQLException;
    }

    /** Works on a claimed row inside its transaction. */
    @FunctionalInterface
    public interface Handle<D, T> {
        T handle(Connection c, D due) throws SQLException;
    }

    /**
     * Marks a row that its handling could not get through as failed, with {@code reason}, inside a transaction of its own;
     * null when the row is no longer due (another gateway took it meanwhile).
     */
    @FunctionalInterface
    public interface Poisoned<D, T> {
        T fail(Connection c, D due, Throwable cause, String reason) throws SQLException;
    }

    /**
     * In one transaction: claims the next due row and handles it, then commits and runs {@code afterCommit}; empty when
     * no row is due. A database failure rolls the transaction back, so the row stays due, and is thrown. Anything else
     * thrown by {@code handle} (a bug, an unexpected value in the row, an {@link OutOfMemoryError}) is the row's own
     * failure: the transaction is rolled back and {@code poisoned} marks the row failed with the reason in a new one, so
     * that it is not taken again and again ahead of the rows behind it.
     */
    public static <D, T> Optional<T> claimAndHandle(DataSource dataSource, Claim<D> claim, Handle<D, T> handle,
                                                    BiConsumer<D, T> afterCommit, Poisoned<D, T> poisoned) throws SQLException {
        D due;
        Throwable failure;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            due = null;
            try {
                due = claim.claim(c);
                if (due == null) {
                    c.commit();
                    return Optional.empty();
                }
                T done = handle.handle(c, due);
                c.commit();
                afterCommit.accept(due, done);
                return Optional.of(done);
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                c.rollback();
                if (due == null || !ItemFaults.attributableToItem(e)) throw e;
                failure = e;
            }
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T failed = poisoned.fail(c, due, failure, ItemFaults.describe(failure));
                c.commit();
                if (failed != null) afterCommit.accept(due, failed);
                return Optional.ofNullable(failed);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                e.addSuppressed(failure);
                throw e;
            }
        }
    }

    /** When an attempt made in a pass for {@code now} counts as made: {@code now} or the clock, if later (microseconds). */
    public static Instant attemptTime(Instant now) {
        Instant clock = Instant.now();
        return (now.isAfter(clock) ? now : clock).truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Runs {@code loops} loops over {@code next} until it is empty; a loop that fails (the database is down) is logged and
     * ends, and the next pass tries again. An {@link Error} that reaches a loop is also counted in {@code loopErrors}.
     */
    public static <T> List<T> drain(int loops, Next<T> next, Logger log, String what, LoopErrors loopErrors) {
        List<T> done = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < Math.max(1, loops); i++) {
                executor.execute(() -> {
                    try {
                        for (Optional<T> a; (a = next.take()).isPresent(); ) done.add(a.get());
                    } catch (SQLException | RuntimeException e) {
                        log.errorf("%s stopped: %s", what, e.toString());
                    } catch (Error e) {
                        loopErrors.caught(what, e);
                    }
                });
            }
        }
        return List.copyOf(done);
    }
}
