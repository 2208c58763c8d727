package org.seggateway.dicomio.net;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.network.Association;
import com.pixelmed.network.CEchoRequestCommandMessage;
import com.pixelmed.network.CStoreRequestCommandMessage;
import com.pixelmed.network.CompositeResponseHandler;
import com.pixelmed.network.DicomNetworkException;
import com.pixelmed.network.MessageServiceElementCommand;
import com.pixelmed.network.PDataPDU;
import com.pixelmed.network.PresentationDataValue;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Reads one DIMSE request (C-ECHO-RQ, or C-STORE-RQ with its data set) from the P-DATA PDUs PixelMed's
 * {@code Association} delivers. A C-STORE data set is streamed into a new file in the incoming folder, behind File
 * Meta Information built from the request; the file name never derives from a UID. The data set is hashed (SHA-256)
 * as it is written, so the handler need not read the file again for that.
 *
 * <p>Bounds: a command set larger than {@code maxCommandBytes} fails the read (the association is aborted: a command
 * cannot be answered unparsed). A data set is refused, not aborted: when the disk is below its floor at the
 * C-STORE-RQ nothing is written, and when the data set grows past {@code maxDataSetBytes} the partial file is deleted;
 * either way the rest of the data set is read and dropped and {@link #refusal()} says why, for the response.
 *
 * <p>We do this ourselves instead of using PixelMed's {@code StorageSOPClassSCP}, whose C-STORE response is always
 * Success: here the caller decides the status after the handler has run. PixelMed's {@code ReceivedDataHandler} cannot
 * be subclassed outside its package, so this extends its public subclass {@code CompositeResponseHandler} and
 * replaces its only behaviour.
 */
final class DimseRequestReader extends CompositeResponseHandler {

    private final Path incomingDirectory;
    private final String callingAeTitle;
    private final int maxCommandBytes;
    private final long maxDataSetBytes;
    private final DiskFloor diskFloor;
    private final ByteArrayOutputStream commandBytes = new ByteArrayOutputStream(256);
    private int commandField = MessageServiceElementCommand.NOCOMMAND;
    private byte presentationContextId;
    private CEchoRequestCommandMessage echo;
    private CStoreRequestCommandMessage store;
    private String transferSyntaxUid;
    private Path file;
    private OutputStream out;
    private long dataSetBytes;
    private MessageDigest dataSetDigest;
    private String dataSetSha256;
    private String refusal;

    DimseRequestReader(Path incomingDirectory, String callingAeTitle, int maxCommandBytes, long maxDataSetBytes,
                       DiskFloor diskFloor) {
        this.incomingDirectory = incomingDirectory;
        this.callingAeTitle = callingAeTitle;
        this.maxCommandBytes = maxCommandBytes;
        this.maxDataSetBytes = maxDataSetBytes;
        this.diskFloor = diskFloor;
    }

    @Override
    public void sendPDataIndication(PDataPDU pdata, Association association)
            throws DicomNetworkException, DicomException, IOException {
        for (Object item : pdata.getPDVList()) {
            PresentationDataValue pdv = (PresentationDataValue) item;
            if (pdv.isCommand()) commandFragment(pdv, association);
            else dataFragment(pdv);
        }
    }

    private void commandFragment(PresentationDataValue pdv, Association association)
            throws DicomNetworkException, DicomException, IOException {
        byte[] fragment = pdv.getValue();
        if (commandBytes.size() + (long) fragment.length > maxCommandBytes)
            throw new DicomNetworkException("DIMSE command set exceeds the limit of " + maxCommandBytes + " bytes");
        commandBytes.write(fragment);
        if (!pdv.isLastFragment()) return;
        AttributeList command = getAttributeListFromCommandOrData(commandBytes.toByteArray(),
                TransferSyntax.ImplicitVRLittleEndian);
        commandField = Attribute.getSingleIntegerValueOrDefault(command, TagFromName.CommandField, 0xffff);
        presentationContextId = pdv.getPresentationContextID();
        if (commandField == MessageServiceElementCommand.C_ECHO_RQ) {
            echo = new CEchoRequestCommandMessage(command);
            setDone(true);
        } else if (commandField == MessageServiceElementCommand.C_STORE_RQ) {
            store = new CStoreRequestCommandMessage(command);
            transferSyntaxUid = association.getTransferSyntaxForPresentationContextID(presentationContextId);
            refusal = diskFloor.shortfall();
            if (refusal == null) openFile();
        } else {
            throw new DicomNetworkException("unsupported DIMSE command 0x" + Integer.toHexString(commandField) + " "
                    + MessageServiceElementCommand.toString(commandField));
        }
    }

    private void openFile() throws IOException, DicomException {
        file = Files.createTempFile(incomingDirectory, "rcv-", ".dcm");
        out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        DicomOutputStream meta = new DicomOutputStream(out, TransferSyntax.ExplicitVRLittleEndian, null);
        new FileMetaInformation(store.getAffectedSOPClassUID(), store.getAffectedSOPInstanceUID(), transferSyntaxUid,
                callingAeTitle).getAttributeList().write(meta);
        meta.flush();
        dataSetDigest = sha256();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this Java runtime", e);
        }
    }

    private void dataFragment(PresentationDataValue pdv) throws DicomNetworkException, IOException {
        if (store == null) throw new DicomNetworkException("data set fragment without a C-STORE request before it");
        byte[] value = pdv.getValue();
        dataSetBytes += value.length;
        if (refusal == null && dataSetBytes > maxDataSetBytes) {
            refusal = "data set exceeds the limit of " + maxDataSetBytes + " bytes";
            discardPartialFile();
        }
        if (refusal == null) {
            dataSetDigest.update(value);
            out.write(value);
        }
        if (pdv.isLastFragment()) {
            if (out != null) {
                out.close();
                dataSetSha256 = HexFormat.of().formatHex(dataSetDigest.digest());
            }
            out = null;
            setDone(true);
        }
    }

    @Override
    protected void evaluateStatusAndSetSuccess(AttributeList list) {
        // not used: sendPDataIndication is replaced
    }

    boolean isEcho() {
        return echo != null;
    }

    boolean isStore() {
        return store != null;
    }

    byte presentationContextId() {
        return presentationContextId;
    }

    CEchoRequestCommandMessage echoRequest() {
        return echo;
    }

    CStoreRequestCommandMessage storeRequest() {
        return store;
    }

    String transferSyntaxUid() {
        return transferSyntaxUid;
    }

    Path file() {
        return file;
    }

    /** Why this C-STORE is refused without reaching the handler (nothing kept on disk); null if it is not. */
    String refusal() {
        return refusal;
    }

    /** SHA-256 (lowercase hex) of the data set written to {@link #file()}, once its last fragment is written; else null. */
    String dataSetSha256() {
        return dataSetSha256;
    }

    long dataSetBytes() {
        return dataSetBytes;
    }

    /** Closes and deletes a partly received file (association lost mid-transfer). */
    void discardPartialFile() {
        try {
            if (out != null) out.close();
        } catch (IOException ignored) {
            // the file goes anyway
        }
        out = null;
        try {
            if (file != null) Files.deleteIfExists(file);
            file = null;
        } catch (IOException ignored) {
            // left in the incoming folder; the receiver clears it at start
        }
    }
}
