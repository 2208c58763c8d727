package org.seggateway.gateway.work;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The poison contract of {@link ParallelDrain} on the real database, with rows of a table of its own: a row whose handling
 * throws a RuntimeException or an Error is marked failed with the reason and the drain goes on with the rows behind it;
 * a database failure marks nothing and leaves the row due.
 */
@QuarkusTest
class ParallelDrainTest {
    private static final Logger LOG = Logger.getLogger(ParallelDrainTest.class);
    @Inject
    DataSource dataSource;
    @Inject
    LoopErrors loopErrors;
    @Inject
    MeterRegistry registry;

    @BeforeEach
    void table() throws SQLException {
        execute("drop table if exists drain_test_items");
        execute("create table drain_test_items (id int primary key, state text not null default 'due', last_error text)");
        execute("insert into drain_test_items (id) select generate_series(1, 6)");
    }

    @AfterEach
    void drop() throws SQLException {
        execute("drop table if exists drain_test_items");
    }

    @Test
    void rowsThatThrowFailAloneWithTheirReasonAndTheOthersAreDone() throws SQLException {
        List<Integer> done = ParallelDrain.drain(2, this::next, LOG, "drain-test", loopErrors);

        assertThat(done).containsExactlyInAnyOrder(1, 2, -3, -4, 5, 6);
        assertThat(rows()).containsExactly("1 done null", "2 done null", "3 failed IllegalStateException: row 3 is poison",
                "4 failed OutOfMemoryError: Java heap space (as thrown for row 4)", "5 done null", "6 done null");
    }

    @Test
    void anErrorThatReachesTheDrainLoopIsCountedAndTheDrainReturns() {
        double before = errors("StackOverflowError");
        List<Integer> done = ParallelDrain.drain(1, () -> {
            throw new StackOverflowError("as thrown by the loop");
        }, LOG, "drain-test", loopErrors);
        assertThat(done).isEmpty();
        assertThat(errors("StackOverflowError")).isEqualTo(before + 1);
    }

    private double errors(String kind) {
        var counter = registry.find("seggateway.loop.errors").tag("loop", "drain-test").tag("kind", kind).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aDatabaseFailureMarksNothingAndLeavesTheRowDue() throws SQLException {
        Optional<Integer> r = Optional.empty();
        try {
            r = ParallelDrain.claimAndHandle(dataSource, ParallelDrainTest::claim, (c, id) -> {
                throw new SQLException("connection lost (as thrown for row " + id + ")", "08006");
            }, (id, x) -> { }, ParallelDrainTest::markFailed);
        } catch (SQLException expected) {
            assertThat(expected.getSQLState()).isEqualTo("08006");
        }
        assertThat(r).isEmpty();
        assertThat(rows()).allMatch(row -> row.endsWith("due null"));
    }

    private Optional<Integer> next() throws SQLException {
        return ParallelDrain.claimAndHandle(dataSource, ParallelDrainTest::claim, (c, id) -> {
            if (id == 3) throw new IllegalStateException("row 3 is poison");
            if (id == 4) throw new OutOfMemoryError("Java heap space (as thrown for row 4)");
            try (PreparedStatement s = c.prepareStatement("update drain_test_items set state = 'done' where id = ?")) {
                s.setInt(1, id);
                s.executeUpdate();
            }
            return id;
        }, (id, result) -> { }, ParallelDrainTest::markFailed);
    }

    private static Integer claim(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "select id from drain_test_items where state = 'due' order by id limit 1 for update skip locked");
             ResultSet rs = s.executeQuery()) {
            return rs.next() ? rs.getInt(1) : null;
        }
    }

    private static Integer markFailed(Connection c, Integer id, Throwable cause, String reason) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "update drain_test_items set state = 'failed', last_error = ? where id = ? and state = 'due'")) {
            s.setString(1, reason);
            s.setInt(2, id);
            return s.executeUpdate() == 1 ? -id : null;
        }
    }

    private List<String> rows() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select id || ' ' || state || ' ' || coalesce(last_error, 'null') from drain_test_items order by id")) {
            while (rs.next()) rows.add(rs.getString(1));
        }
        return rows;
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
