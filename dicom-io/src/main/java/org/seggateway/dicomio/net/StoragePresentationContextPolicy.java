package org.seggateway.dicomio.net;

import com.pixelmed.network.CompositeInstanceStoreAbstractSyntaxSelectionPolicy;
import com.pixelmed.network.PresentationContext;
import com.pixelmed.network.PresentationContextSelectionPolicy;
import com.pixelmed.network.TransferSyntaxSelectionPolicy;
import java.util.LinkedList;
import java.util.List;

/**
 * Which presentation contexts the receiver accepts: Verification and every storage SOP class PixelMed knows
 * (image and non-image), in the transfer syntaxes of {@link AcceptedTransferSyntaxes}: by default the uncompressed
 * ones, Deflate, and every compressed one dicom-io decodes (JPEG, JPEG-LS, JPEG 2000, RLE). A context offering none
 * of them is refused (reason 4), so a sender that can decompress does so, and one that cannot learns it at association
 * time rather than after we stored something we cannot read. When a context offers several, the sender's first
 * acceptable one wins unless configured otherwise (senders list their files' own syntax first; choosing another would
 * make them transcode, which DCMTK {@code storescu}, for one, cannot do for JPEG).
 *
 * <p>PixelMed's own policies are either uncompressed only or "any explicit" (which would accept syntaxes we cannot read).
 */
final class StoragePresentationContextPolicy implements PresentationContextSelectionPolicy {

    static final String EXPLICIT_VR_LITTLE_ENDIAN = AcceptedTransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN;
    static final String IMPLICIT_VR_LITTLE_ENDIAN = AcceptedTransferSyntaxes.IMPLICIT_VR_LITTLE_ENDIAN;

    private static final byte ACCEPTANCE = 0;
    private static final byte TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

    private final CompositeInstanceStoreAbstractSyntaxSelectionPolicy abstractSyntaxes =
            new CompositeInstanceStoreAbstractSyntaxSelectionPolicy();
    private final AcceptedTransferSyntaxes accepted;

    StoragePresentationContextPolicy(AcceptedTransferSyntaxes accepted) {
        this.accepted = accepted;
    }

    StoragePresentationContextPolicy() {
        this(AcceptedTransferSyntaxes.defaults());
    }

    private final TransferSyntaxSelectionPolicy transferSyntaxes = new TransferSyntaxSelectionPolicy() {
        @Override
        public LinkedList applyTransferSyntaxSelectionPolicy(LinkedList contexts, int associationNumber) {
            for (Object item : contexts) {
                PresentationContext pc = (PresentationContext) item;
                if (pc.getResultReason() != ACCEPTANCE) continue;
                String chosen = accepted.choose(pc.getTransferSyntaxUIDs());
                pc.newTransferSyntaxUIDs();
                if (chosen == null) pc.setResultReason(TRANSFER_SYNTAXES_NOT_SUPPORTED);
                else pc.addTransferSyntaxUID(chosen);
            }
            return contexts;
        }
    };

    @Override
    public LinkedList applyPresentationContextSelectionPolicy(LinkedList contexts, int associationNumber) {
        LinkedList result = abstractSyntaxes.applyAbstractSyntaxSelectionPolicy(contexts, associationNumber);
        result = transferSyntaxes.applyTransferSyntaxSelectionPolicy(result, associationNumber);
        // where a SOP class is offered in several contexts, PixelMed's rule drops implicit VR ones in favour of explicit
        return transferSyntaxes.applyExplicitTransferSyntaxPreferencePolicy(result, associationNumber);
    }

    @Override
    public LinkedList applyPresentationContextSelectionPolicy(LinkedList contexts, int associationNumber, int debugLevel) {
        return applyPresentationContextSelectionPolicy(contexts, associationNumber);
    }
}
