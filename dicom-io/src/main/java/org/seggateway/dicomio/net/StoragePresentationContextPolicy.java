package org.seggateway.dicomio.net;

import com.pixelmed.network.CompositeInstanceStoreAbstractSyntaxSelectionPolicy;
import com.pixelmed.network.PresentationContext;
import com.pixelmed.network.PresentationContextSelectionPolicy;
import com.pixelmed.network.TransferSyntaxSelectionPolicy;
import java.util.LinkedList;
import java.util.List;

/**
 * Which presentation contexts the receiver accepts: Verification and every storage SOP class PixelMed knows
 * (image and non-image), in the uncompressed transfer syntaxes and the compressed ones dicom-io can decode: JPEG
 * baseline (JDK ImageIO) and JPEG lossless (pixelmed-imageio). JPEG-LS, JPEG 2000, RLE and deflate are refused
 * (reason 4), so a sender that can decompress does so, and one that cannot learns it at association time rather than
 * after we stored something we cannot read. When a context offers several, the sender's first acceptable one wins
 * (senders list their files' own syntax first; choosing uncompressed instead would make them transcode, which DCMTK
 * {@code storescu}, for one, cannot do for JPEG).
 *
 * <p>PixelMed's own policies are either uncompressed only or "any explicit" (which would accept JPEG 2000).
 */
final class StoragePresentationContextPolicy implements PresentationContextSelectionPolicy {

    static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    static final String IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
    static final String JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";
    static final String JPEG_LOSSLESS = "1.2.840.10008.1.2.4.57";
    static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";

    /** The transfer syntaxes we accept. */
    static final List<String> ACCEPTED = List.of(EXPLICIT_VR_LITTLE_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN,
            JPEG_LOSSLESS_SV1, JPEG_LOSSLESS, JPEG_BASELINE);

    private static final byte ACCEPTANCE = 0;
    private static final byte TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

    private final CompositeInstanceStoreAbstractSyntaxSelectionPolicy abstractSyntaxes =
            new CompositeInstanceStoreAbstractSyntaxSelectionPolicy();
    private final TransferSyntaxSelectionPolicy transferSyntaxes = new TransferSyntaxSelectionPolicy() {
        @Override
        public LinkedList applyTransferSyntaxSelectionPolicy(LinkedList contexts, int associationNumber) {
            for (Object item : contexts) {
                PresentationContext pc = (PresentationContext) item;
                if (pc.getResultReason() != ACCEPTANCE) continue;
                String chosen = choose(pc.getTransferSyntaxUIDs());
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

    /** The first offered transfer syntax that we accept, in the sender's order; null if none. */
    static String choose(List<?> offered) {
        for (Object o : offered) {
            String uid = o == null ? "" : o.toString().strip();
            if (ACCEPTED.contains(uid)) return uid;
        }
        return null;
    }
}
