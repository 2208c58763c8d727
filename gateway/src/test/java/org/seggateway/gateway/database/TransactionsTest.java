package org.seggateway.gateway.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of {@link Transactions} on the real database, with a table of its own. */
@QuarkusTest
class TransactionsTest {
    @Inject
    Transactions transactions;

    @BeforeEach
    void table() {
        transactions.withHandle(h -> h.execute("drop table if exists transactions_test_items"));
        transactions.withHandle(h -> h.execute("create table transactions_test_items (name text primary key)"));
    }

    @AfterEach
    void drop() {
        transactions.withHandle(h -> h.execute("drop table if exists transactions_test_items"));
    }

    @Test
    void workThatReturnsIsCommittedAndItsValueReturned() {
        int inserted = transactions.inTransaction(h -> insert(h, "a") + insert(h, "b"));

        assertThat(inserted).isEqualTo(2);
        assertThat(namesSeenByAnotherConnection()).containsExactly("a", "b");
    }

    @Test
    void changesAreInvisibleToOthersUntilTheCommit() {
        transactions.useTransaction(h -> {
            insert(h, "a");
            assertThat(namesSeenByAnotherConnection()).isEmpty();
        });
        assertThat(namesSeenByAnotherConnection()).containsExactly("a");
    }

    @Test
    void workThatThrowsIsRolledBackAndTheExceptionReachesTheCaller() {
        IllegalStateException thrown = new IllegalStateException("as thrown by the work");

        assertThatThrownBy(() -> transactions.useTransaction(h -> {
            insert(h, "a");
            throw thrown;
        })).isSameAs(thrown);
        assertThat(namesSeenByAnotherConnection()).isEmpty();
    }

    @Test
    void aCheckedExceptionOfTheWorkReachesTheCallerAsItIsAndRollsBack() {
        IOException thrown = new IOException("disk full (as thrown by the work)");

        assertThatThrownBy(() -> transactions.<Integer, IOException>inTransaction(h -> {
            insert(h, "a");
            throw thrown;
        })).isSameAs(thrown);
        assertThat(namesSeenByAnotherConnection()).isEmpty();
    }

    @Test
    void aFailedStatementRollsBackTheWholeTransaction() {
        assertThatThrownBy(() -> transactions.useTransaction(h -> {
            insert(h, "a");
            insert(h, "a"); // primary key violation
        })).hasMessageContaining("transactions_test_items_pkey");
        assertThat(namesSeenByAnotherConnection()).isEmpty();
    }

    @Test
    void aTransactionStartedInsideTheWorkOfAnotherJoinsIt() {
        assertThatThrownBy(() -> transactions.useTransaction(h -> {
            transactions.useTransaction(inner -> insert(inner, "a"));
            throw new IllegalStateException("outer work fails after the inner one returned");
        })).hasMessageStartingWith("outer work fails");
        assertThat(namesSeenByAnotherConnection()).isEmpty();
    }

    private static int insert(Handle h, String name) {
        return h.createUpdate("insert into transactions_test_items (name) values (:name)").bind("name", name).execute();
    }

    /** Through a handle of its own: {@code withHandle} inside a transaction's work would join that transaction. */
    private List<String> namesSeenByAnotherConnection() {
        try (Handle other = transactions.open()) {
            return other.createQuery("select name from transactions_test_items order by name").mapTo(String.class).list();
        }
    }
}
