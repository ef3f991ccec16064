"""Gazetteer data: Vietnamese public bodies, their canonical names and name patterns.

Patterns are regular expressions matched case-insensitively on text with the
modern tone placement; the canonical names are what the extraction record uses.
"""

from __future__ import annotations

# (canonical field name, pattern) shared by ministries ("Bộ") and departments ("Sở")
FIELDS: list[tuple[str, str]] = [
    ("Nông nghiệp và Phát triển nông thôn",
     r"Nông nghiệp\s*(?:và|&)\s*(?:Phát triển nông thôn|PTNT)|NN\s*(?:&|và)\s*PTNT|NNPTNT|NN-PTNT"),
    ("Nông nghiệp và Môi trường", r"Nông nghiệp\s*(?:và|&)\s*Môi trường|NN\s*(?:&|và)\s*MT\b|NNMT"),
    ("Tài nguyên và Môi trường", r"Tài nguyên\s*(?:và|&)\s*Môi trường|TN\s*(?:&|và)\s*MT\b|TNMT"),
    ("Lao động - Thương binh và Xã hội",
     r"Lao động\s*[-–,]?\s*Thương binh\s*(?:và|&|,)?\s*Xã hội|Lao động\s*TB\s*(?:và|&)\s*XH|"
     r"LĐ\s*-?\s*TB\s*(?:&|và)\s*XH|LĐ-?TBXH"),
    ("Kế hoạch và Đầu tư", r"Kế hoạch\s*(?:và|&)\s*Đầu tư|KH\s*(?:&|và)\s*ĐT\b|KHĐT|KH-ĐT"),
    ("Khoa học và Công nghệ", r"Khoa học\s*(?:và|&)\s*Công nghệ|KH\s*(?:&|và)\s*CN\b|KHCN"),
    ("Giáo dục và Đào tạo", r"Giáo dục\s*(?:và|&)\s*Đào tạo|GD\s*(?:&|và)\s*ĐT\b|GDĐT"),
    ("Thông tin và Truyền thông", r"Thông tin\s*(?:và|&)\s*Truyền thông|TT\s*(?:&|và)\s*TT\b|TTTT"),
    ("Văn hóa, Thể thao và Du lịch",
     r"Văn hóa,?\s*Thể thao\s*(?:và|&)\s*Du lịch|VH,?\s*TT\s*(?:&|và)\s*DL|VHTTDL"),
    ("Văn hóa và Thể thao", r"Văn hóa\s*(?:và|&)\s*Thể thao"),
    ("Giao thông vận tải", r"Giao thông\s*(?:-\s*)?vận tải|GTVT"),
    ("Dân tộc và Tôn giáo", r"Dân tộc\s*(?:và|&)\s*Tôn giáo"),
    ("Công Thương", r"Công thương"),
    ("Tài chính", r"Tài chính"),
    ("Nội vụ", r"Nội vụ"),
    ("Tư pháp", r"Tư pháp"),
    ("Xây dựng", r"Xây dựng"),
    ("Y tế", r"Y tế"),
    ("Ngoại giao", r"Ngoại giao"),
    ("Ngoại vụ", r"Ngoại vụ"),
    ("Quốc phòng", r"Quốc phòng"),
    ("Công an", r"Công an"),
    ("Du lịch", r"Du lịch"),
]
# district offices ("Phòng")
OFFICES: list[tuple[str, str]] = [
    ("Tài chính - Kế hoạch", r"Tài chính\s*[-–]\s*Kế hoạch|TC\s*-\s*KH|TCKH"),
    ("Lao động - Thương binh và Xã hội - Dân tộc",
     r"Lao động\s*[-–,]?\s*Thương binh\s*(?:và|&|,)?\s*Xã hội\s*[-–]\s*Dân tộc"),
    ("Lao động - Thương binh và Xã hội",
     r"Lao động\s*[-–,]?\s*Thương binh\s*(?:và|&|,)?\s*Xã hội|LĐ\s*-?\s*TB\s*(?:&|và)\s*XH|LĐTBXH"),
    ("Nông nghiệp và Phát triển nông thôn",
     r"Nông nghiệp\s*(?:và|&)\s*(?:Phát triển nông thôn|PTNT)|NN\s*(?:&|và)\s*PTNT|NNPTNT"),
    ("Nông nghiệp và Môi trường", r"Nông nghiệp\s*(?:và|&)\s*Môi trường"),
    ("Kinh tế và Hạ tầng", r"Kinh tế\s*(?:và|&|-)\s*Hạ tầng|KT\s*(?:&|và)\s*HT\b|KTHT"),
    ("Kinh tế, Hạ tầng và Đô thị", r"Kinh tế,?\s*Hạ tầng\s*(?:và|&)\s*Đô thị"),
    ("Tài nguyên và Môi trường", r"Tài nguyên\s*(?:và|&)\s*Môi trường|TN\s*(?:&|và)\s*MT\b|TNMT"),
    ("Văn hóa và Thông tin", r"Văn hóa\s*(?:và|&|-)\s*Thông tin"),
    ("Văn hóa, Khoa học và Thông tin", r"Văn hóa,?\s*Khoa học\s*(?:và|&)\s*Thông tin"),
    ("Giáo dục và Đào tạo", r"Giáo dục\s*(?:và|&)\s*Đào tạo|GD\s*(?:&|và)\s*ĐT\b|GDĐT"),
    ("Quản lý đô thị", r"Quản lý đô thị"),
    ("Y tế", r"Y tế"), ("Nội vụ", r"Nội vụ"), ("Tư pháp", r"Tư pháp"), ("Dân tộc", r"Dân tộc"),
    ("Kinh tế", r"Kinh tế"),
]

# other bodies: (canonical base, pattern, scope, kind)
#   scope: central (no jurisdiction), province / district / issuer (default level),
#          explicit (only with a level word), dual (" Việt Nam" makes it central)
#   kind: state, front (Mặt trận), party, mass (mass organisation)
BODIES: list[tuple[str, str, str, str]] = [
    ("Thủ tướng Chính phủ", r"Thủ tướng Chính phủ", "central", "state"),
    ("Văn phòng Chính phủ", r"Văn phòng Chính phủ|VPCP", "central", "state"),
    ("Thanh tra Chính phủ", r"Thanh tra Chính phủ", "central", "state"),
    ("Chính phủ", r"Chính phủ", "central", "state"),
    ("Ngân hàng Nhà nước Việt Nam", r"Ngân hàng Nhà nước(?: Việt Nam)?", "central", "state"),
    ("Ủy ban Dân tộc", r"Ủy ban Dân tộc", "central", "state"),
    ("Kiểm toán nhà nước", r"Kiểm toán nhà nước", "central", "state"),
    ("Tòa án nhân dân tối cao", r"Tòa án nhân dân tối cao", "central", "state"),
    ("Viện kiểm sát nhân dân tối cao", r"Viện kiểm sát nhân dân tối cao", "central", "state"),
    ("Đài Truyền hình Việt Nam", r"Đài Truyền hình Việt Nam", "central", "state"),
    ("Đài Tiếng nói Việt Nam", r"Đài Tiếng nói Việt Nam", "central", "state"),
    ("Thông tấn xã Việt Nam", r"Thông tấn xã Việt Nam", "central", "state"),
    ("Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",
     r"Ủy ban Trung ương Mặt trận Tổ quốc(?: Việt Nam)?|UBTƯMTTQVN", "central", "front"),
    ("Ban Tuyên giáo và Dân vận Trung ương", r"Ban Tuyên giáo (?:và|&) Dân vận Trung ương", "central", "party"),
    ("Ban Tuyên giáo Trung ương", r"Ban Tuyên giáo Trung ương", "central", "party"),
    ("Ban Dân vận Trung ương", r"Ban Dân vận Trung ương", "central", "party"),
    ("Ban Tổ chức Trung ương", r"Ban Tổ chức Trung ương", "central", "party"),
    ("Ban Thường vụ Tỉnh ủy", r"Ban Thường vụ Tỉnh ủy", "central", "party"),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam",
     r"Ủy ban Mặt trận Tổ quốc(?: Việt Nam)?|UBMTTQ(?:VN)?|Ủy ban MTTQ(?:VN)?", "issuer", "front"),
    ("Hội Liên hiệp Phụ nữ", r"Hội Liên hiệp Phụ nữ|Hội LHPN|Hội LH Phụ nữ|Hội Phụ nữ", "dual", "mass"),
    ("Liên minh Hợp tác xã", r"Liên minh Hợp tác xã|Liên minh HTX", "dual", "mass"),
    ("Hội Nông dân", r"Hội Nông dân", "dual", "mass"),
    ("Hội Cựu chiến binh", r"Hội Cựu chiến binh", "dual", "mass"),
    ("Liên đoàn Lao động", r"Liên đoàn Lao động", "issuer", "mass"),
    ("Hội Nữ doanh nhân", r"Hội Nữ doanh nhân", "issuer", "mass"),
    ("Các tổ chức chính trị - xã hội", r"[Cc]ác tổ chức chính trị\s*-\s*xã hội", "issuer", "mass"),
    ("Bảo hiểm xã hội", r"Bảo hiểm xã hội|BHXH", "dual", "state"),
    ("Ngân hàng Chính sách xã hội", r"Ngân hàng Chính sách xã hội|Ngân hàng CSXH|NHCSXH", "dual", "state"),
    ("Kho bạc Nhà nước", r"Kho bạc Nhà nước|KBNN", "dual", "state"),
    ("Văn phòng Ủy ban nhân dân", r"Văn phòng (?:Ủy ban nhân dân|UBND)|VP UBND", "issuer", "state"),
    ("Ủy ban nhân dân", r"Ủy ban nhân dân|UBND", "issuer", "state"),
    ("Hội đồng nhân dân", r"Hội đồng nhân dân|HĐND", "issuer", "state"),
    ("Ban Dân tộc", r"Ban Dân tộc", "province", "state"),
    ("Ban Quản lý dự án đầu tư xây dựng", r"Ban Quản lý dự án đầu tư xây dựng", "province", "state"),
    ("Đài Phát thanh và Truyền hình", r"Đài Phát thanh (?:và|-) Truyền hình", "province", "state"),
    ("Trung tâm Văn hóa, Thể thao và Truyền thông",
     r"Trung tâm Văn hóa,? Thể thao (?:và|&) Truyền thông", "district", "state"),
    ("Trung tâm Văn hóa và Truyền thông", r"Trung tâm Văn hóa (?:và|&) Truyền thông", "district", "state"),
    ("Thanh tra", r"Thanh tra", "explicit", "state"),
    ("Công an", r"Công an", "explicit", "state"),
]
