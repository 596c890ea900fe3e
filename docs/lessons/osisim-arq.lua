-- osisim's link ARQ header on EtherType 0x88b5 (docs/lessons/link-arq.md).
local arq = Proto("osisim_arq", "osisim link ARQ")
local f_kind = ProtoField.uint8("osisim_arq.kind", "Kind", base.DEC, {[1] = "DATA", [2] = "ACK"})
local f_mode = ProtoField.uint8("osisim_arq.mode", "Mode", base.DEC, {[1] = "stop-and-wait", [2] = "go-back-N"})
local f_seq = ProtoField.uint8("osisim_arq.seq", "Sequence", base.DEC)
local f_ack = ProtoField.uint8("osisim_arq.ack", "Acknowledgement", base.DEC)
local f_type = ProtoField.uint16("osisim_arq.type", "EtherType", base.HEX)
arq.fields = {f_kind, f_mode, f_seq, f_ack, f_type}
local ethertype = DissectorTable.get("ethertype")

function arq.dissector(buf, pinfo, tree)
    if buf:len() < 6 then return 0 end
    local t = tree:add(arq, buf(0, 6))
    t:add(f_kind, buf(0, 1))
    t:add(f_mode, buf(1, 1))
    t:add(f_seq, buf(2, 1))
    t:add(f_ack, buf(3, 1))
    t:add(f_type, buf(4, 2))
    if buf(0, 1):uint() == 1 then
        pinfo.cols.info = string.format("ARQ DATA %d", buf(2, 1):uint())
        ethertype:try(buf(4, 2):uint(), buf(6):tvb(), pinfo, tree)
    else
        pinfo.cols.protocol = "ARQ"
        pinfo.cols.info = string.format("ARQ ACK %d", buf(3, 1):uint())
    end
    return buf:len()
end

ethertype:add(0x88b5, arq)
