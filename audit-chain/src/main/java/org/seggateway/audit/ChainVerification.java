package org.seggateway.audit;

import java.util.Optional;

/**
 * What checking the audit chain found.
 *
 * @param intactRows  rows checked and found in order before the first broken link (all rows when intact)
 * @param firstBroken the first row whose link or hash is wrong, if any
 */
public record ChainVerification(long intactRows, Optional<BrokenLink> firstBroken) {

    /**
     * @param field    {@code previous_hash} (the row does not follow its predecessor: a row before it was removed or
     *                 inserted) or {@code hash} (the row's content was changed)
     * @param expected what the chain calls for
     * @param found    what the row holds
     */
    public record BrokenLink(long rowId, String field, String expected, String found) {
    }

    static ChainVerification intact(long rows) {
        return new ChainVerification(rows, Optional.empty());
    }

    static ChainVerification broken(long intactRows, long rowId, String field, String expected, String found) {
        return new ChainVerification(intactRows, Optional.of(new BrokenLink(rowId, field, expected, found)));
    }

    public boolean intact() {
        return firstBroken.isEmpty();
    }
}
