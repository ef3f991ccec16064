"""Gazetteer data: Vietnamese public bodies, their canonical names and name patterns.

Patterns are regular expressions matched case-insensitively on text with the
modern tone placement; the canonical names are what the extraction record uses.
"""

from __future__ import annotations

# (canonical field name, pattern) shared by ministries ("Bộ") and departments ("Sở")
FIELDS: list[tuple[str, str]] = [
    ("Nông nghiệp và Phát triển nông thôn",
     r"Nông nghiệp\s*(?:và|&|[-–])\s*(?:Phát triển nông thôn|PTNT)|NN\s*(?:&|và)\s*PTNT|NNPTNT|NN-PTNT"),
    ("Nông nghiệp và Môi trường", r"Nông nghiệp\s*(?:và|&|[-–])\s*Môi trường|NN\s*(?:&|và)\s*MT\b|NNMT"),
    ("Tài nguyên và Môi trường", r"Tài nguyên\s*(?:và|&|[-–])\s*Môi trường|TN\s*(?:&|và)\s*MT\b|TNMT|TN-MT"),
    ("Lao động - Thương binh và Xã hội",
     r"Lao động\s*[-–,]?\s*Thương binh\s*(?:và|&|,)?\s*Xã hội|Lao động\s*TB\s*(?:và|&)\s*XH|"
     r"LĐ\s*-?\s*TB\s*(?:&|và)\s*XH|LĐ-?TB-?XH|LĐTB\s*(?:&|và)\s*XH"),
    ("Kế hoạch và Đầu tư", r"Kế hoạch\s*(?:và|&|[-–])\s*Đầu tư|KH\s*(?:&|và)\s*ĐT\b|KHĐT|KH-ĐT|KH\s*-\s*ĐT"),
    ("Khoa học và Công nghệ", r"Khoa học\s*(?:và|&)\s*Công nghệ|KH\s*(?:&|và)\s*CN\b|KHCN|KH-CN"),
    ("Giáo dục và Đào tạo", r"Giáo dục\s*(?:và|&)\s*Đào tạo|GD\s*(?:&|và)\s*ĐT\b|GDĐT"),
    ("Thông tin và Truyền thông", r"Thông tin\s*(?:và|&)\s*Truyền thông|TT\s*(?:&|và)\s*TT\b|TTTT"),
    ("Văn hóa, Thể thao và Du lịch",
     r"Văn hóa\s*[,–-]?\s*Thể thao\s*(?:và|&)\s*Du lịch|VH,?\s*TT\s*(?:&|và)\s*DL|VHTTDL|VH-TT-?DL"),
    ("Văn hóa và Thể thao", r"Văn hóa\s*(?:và|&)\s*Thể thao"),
    ("Giao thông vận tải", r"Giao thông\s*(?:-\s*)?vận tải|GTVT|GT-VT"),
    ("Dân tộc và Tôn giáo", r"Dân tộc\s*(?:và|&)\s*Tôn giáo|DT\s*(?:&|và)\s*TG\b|DTTG"),
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
     r"Nông nghiệp\s*(?:và|&|[-–])\s*(?:Phát triển nông thôn|PTNT)|NN\s*(?:&|và)\s*PTNT|NNPTNT"),
    ("Nông nghiệp và Môi trường", r"Nông nghiệp\s*(?:và|&)\s*Môi trường"),
    ("Kinh tế, Hạ tầng và Đô thị", r"Kinh tế\s*[,–-]?\s*Hạ tầng\s*(?:và|&|[-–])\s*Đô thị"),
    ("Kinh tế và Hạ tầng", r"Kinh tế\s*(?:và|&|-)\s*Hạ tầng|KT\s*(?:&|và)\s*HT\b|KTHT"),
    ("Tài nguyên và Môi trường", r"Tài nguyên\s*(?:và|&)\s*Môi trường|TN\s*(?:&|và)\s*MT\b|TNMT"),
    ("Văn hóa và Thông tin", r"Văn hóa\s*(?:và|&|-)\s*Thông tin"),
    ("Văn hóa, Khoa học và Thông tin", r"Văn hóa,?\s*Khoa học\s*(?:và|&)\s*Thông tin"),
    ("Giáo dục và Đào tạo", r"Giáo dục\s*(?:và|&)\s*Đào tạo|GD\s*(?:&|và)\s*ĐT\b|GDĐT"),
    ("Quản lý đô thị", r"Quản lý đô thị"),
    ("Y tế", r"Y tế"), ("Nội vụ", r"Nội vụ"), ("Tư pháp", r"Tư pháp"), ("Dân tộc", r"Dân tộc"),
    # commune offices of the two-level local government (from 1 July 2025)
    ("Văn hóa - Xã hội", r"Văn hóa\s*[-–]\s*Xã hội|VH\s*-\s*XH"),
    ("Kinh tế", r"Kinh tế"),
]

# other bodies: (canonical base, pattern, scope, kind)
#   scope: central (no jurisdiction), province / district / issuer (default level),
#          explicit (only with a level word), dual (" Việt Nam" makes it central),
#          unit (the place name follows directly: "Tỉnh ủy Quảng Nam")
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
    # party organs, the National Assembly and central mass organisations
    ("Ban Chấp hành Trung ương Đảng", r"Ban Chấp hành Trung ương(?: Đảng(?: Cộng sản Việt Nam)?)?", "central", "party"),
    ("Bộ Chính trị", r"Bộ Chính trị", "central", "party"),
    ("Ban Bí thư", r"Ban Bí thư(?: Trung ương Đảng)?", "central", "party"),
    ("Ủy ban Kiểm tra Trung ương", r"Ủy ban Kiểm tra Trung ương", "central", "party"),
    ("Ban Chính sách, chiến lược Trung ương", r"Ban Chính sách,? chiến lược Trung ương", "central", "party"),
    ("Ban Nội chính Trung ương", r"Ban Nội chính Trung ương", "central", "party"),
    ("Ban Đối ngoại Trung ương", r"Ban Đối ngoại Trung ương", "central", "party"),
    ("Ban Kinh tế Trung ương", r"Ban Kinh tế Trung ương", "central", "party"),
    ("Đảng ủy Chính phủ", r"Đảng ủy Chính phủ", "central", "party"),
    ("Ủy ban Thường vụ Quốc hội", r"Ủy ban Thường vụ Quốc hội|UBTVQH", "central", "state"),
    ("Đoàn đại biểu Quốc hội", r"Đoàn đại biểu Quốc hội|Đoàn ĐBQH", "province", "state"),
    ("Văn phòng Quốc hội", r"Văn phòng Quốc hội", "central", "state"),
    ("Quốc hội", r"Quốc hội", "central", "state"),
    ("Văn phòng Chủ tịch nước", r"Văn phòng Chủ tịch nước", "central", "state"),
    ("Ủy ban Quản lý vốn nhà nước tại doanh nghiệp", r"Ủy ban Quản lý vốn nhà nước tại doanh nghiệp", "central",
     "state"),
    ("Viện Hàn lâm Khoa học và Công nghệ Việt Nam", r"Viện Hàn lâm Khoa học (?:và|&) Công nghệ Việt Nam", "central",
     "state"),
    ("Viện Hàn lâm Khoa học xã hội Việt Nam", r"Viện Hàn lâm Khoa học xã hội Việt Nam", "central", "state"),
    ("Đại học Quốc gia Hà Nội", r"Đại học Quốc gia Hà Nội", "central", "state"),
    ("Đại học Quốc gia Thành phố Hồ Chí Minh", r"Đại học Quốc gia (?:Thành phố|TP\.?) Hồ Chí Minh", "central",
     "state"),
    ("Phòng Thương mại và Công nghiệp Việt Nam", r"Phòng Thương mại (?:và|&) Công nghiệp Việt Nam|VCCI",
     "central", "mass"),
    ("Tổng Liên đoàn Lao động Việt Nam", r"Tổng Liên đoàn Lao động(?: Việt Nam)?", "central", "mass"),
    ("Trung ương Đoàn Thanh niên Cộng sản Hồ Chí Minh",
     r"Trung ương Đoàn(?: Thanh niên Cộng sản Hồ Chí Minh| TNCS Hồ Chí Minh)?", "central", "mass"),
    ("Bảo hiểm xã hội Việt Nam", r"Bảo hiểm xã hội Việt Nam|BHXH Việt Nam", "central", "state"),
    ("Kho bạc Nhà nước Việt Nam", r"Kho bạc Nhà nước Việt Nam", "central", "state"),
    # local party committees: "Tỉnh ủy Quảng Nam", "Thành ủy Cần Thơ"
    ("Ban Thường vụ Thành ủy", r"Ban Thường vụ Thành ủy", "central", "party"),
    ("Tỉnh ủy", r"Tỉnh ủy", "unit", "party"),
    ("Thành ủy", r"Thành ủy", "unit", "party"),
    ("Huyện ủy", r"Huyện ủy", "unit", "party"),
    ("Đảng ủy", r"Đảng ủy", "explicit", "party"),
    # local bodies
    ("Đoàn Thanh niên Cộng sản Hồ Chí Minh",
     r"Đoàn Thanh niên Cộng sản Hồ Chí Minh|Đoàn TNCS Hồ Chí Minh|Đoàn Thanh niên", "issuer", "mass"),
    ("Hội Chữ thập đỏ", r"Hội Chữ thập đỏ", "dual", "mass"),
    ("Hội Người cao tuổi", r"Hội Người cao tuổi", "dual", "mass"),
    ("Hội Khuyến học", r"Hội Khuyến học", "dual", "mass"),
    ("Hội Doanh nghiệp nhỏ và vừa", r"Hội Doanh nghiệp nhỏ và vừa", "issuer", "mass"),
    ("Liên hiệp các Hội Khoa học và Kỹ thuật", r"Liên hiệp các Hội Khoa học (?:và|&) Kỹ thuật", "dual", "mass"),
    ("Bộ Chỉ huy Bộ đội Biên phòng", r"Bộ Chỉ huy Bộ đội Biên phòng|BĐBP", "province", "state"),
    ("Bộ Chỉ huy Quân sự", r"Bộ Chỉ huy Quân sự|Bộ CHQS", "province", "state"),
    ("Trường Chính trị", r"Trường Chính trị", "province", "state"),
    ("Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân",
     r"Văn phòng Đoàn (?:đại biểu Quốc hội|ĐBQH) (?:và|&) (?:Hội đồng nhân dân|HĐND)", "province", "state"),
    ("Ban Quản lý các khu công nghiệp", r"Ban Quản lý các [Kk]hu công nghiệp", "province", "state"),
    ("Ban Quản lý Khu kinh tế", r"Ban Quản lý Khu kinh tế", "province", "state"),
    ("Trung tâm Phục vụ hành chính công", r"Trung tâm Phục vụ hành chính công", "issuer", "state"),
    ("Trung tâm Khuyến nông", r"Trung tâm Khuyến nông", "province", "state"),
    ("Văn phòng Hội đồng nhân dân và Ủy ban nhân dân",
     r"Văn phòng (?:Hội đồng nhân dân|HĐND)\s*(?:và|&)\s*(?:Ủy ban nhân dân|UBND)", "issuer", "state"),
    ("Văn phòng Ủy ban nhân dân", r"Văn phòng (?:Ủy ban nhân dân|UBND)|VP UBND", "issuer", "state"),
    ("Ủy ban nhân dân", r"Ủy ban nhân dân|UBND", "issuer", "state"),
    ("Thường trực Hội đồng nhân dân", r"Thường trực (?:Hội đồng nhân dân|HĐND)", "issuer", "state"),
    ("Hội đồng nhân dân", r"Hội đồng nhân dân|HĐND", "issuer", "state"),
    ("Ban Dân tộc", r"Ban Dân tộc", "province", "state"),
    ("Ban Tuyên giáo và Dân vận", r"Ban Tuyên giáo (?:và|&) Dân vận", "explicit", "party"),
    ("Ban Dân vận", r"Ban Dân vận", "explicit", "party"),
    ("Ban Quản lý dự án đầu tư xây dựng", r"Ban Quản lý dự án đầu tư xây dựng", "province", "state"),
    ("Đài Phát thanh và Truyền hình", r"Đài Phát thanh (?:và|-) Truyền hình", "province", "state"),
    ("Trung tâm Văn hóa, Thể thao và Truyền thông",
     r"Trung tâm Văn hóa,? Thể thao (?:và|&) Truyền thông", "district", "state"),
    ("Trung tâm Văn hóa và Truyền thông", r"Trung tâm Văn hóa (?:và|&) Truyền thông", "district", "state"),
    ("Thanh tra", r"Thanh tra", "explicit", "state"),
    ("Công an", r"Công an", "explicit", "state"),
]

# units of a ministry or of a department, named by a head word and a name: "Cục Trồng trọt và
# Bảo vệ thực vật", "Vụ Kế hoạch - Tài chính", "Chi cục Thủy lợi", "Viện Môi trường nông nghiệp"
UNIT_HEADS = ("Tổng cục", "Chi cục", "Cục", "Vụ", "Viện", "Học viện")
# words that end a unit's name (function words and the verbs that follow a subject);
# verbs whose first syllable also occurs in names ("thực vật", "tổ chức cán bộ") stop as pairs
UNIT_STOP = frozenset("""có chịu theo tại của thuộc trong để về là được cùng với giao căn trên đã sẽ khẩn
nhằm đối cho các những mỗi từ đến khi sau trước năm quý tháng ngày gồm""".split())
UNIT_STOP_PAIRS = frozenset(tuple(p.split()) for p in (
    "chủ trì", "phối hợp", "thực hiện", "tổ chức", "hướng dẫn", "xây dựng", "tham mưu", "báo cáo", "triển khai",
    "nghiên cứu", "kiểm tra", "đôn đốc", "hỗ trợ", "tuyên truyền", "vận động", "đề xuất", "rà soát", "bố trí",
    "ban hành", "chỉ đạo", "tổng hợp", "theo dõi", "phổ biến", "cập nhật", "đẩy mạnh", "tăng cường", "nâng cao",
    "trình cấp", "trình Thủ", "trình Bộ", "trình Chính", "trả lời", "thông báo", "nhận được", "đề nghị",
    "kính gửi", "xin gửi", "giải đáp", "hướng dẫn"))

# provinces and centrally-run cities (before and after the 2025 merger): a place of issue
# ("Tây Ninh, ngày ...") under a bare "ỦY BAN NHÂN DÂN" header names the issuing province
PROVINCES = frozenset((
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre", "Bình Dương",
    "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Đắk Nông",
    "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương",
    "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu",
    "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ",
    "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La",
    "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Huế", "Tiền Giang", "Hồ Chí Minh",
    "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái"))
