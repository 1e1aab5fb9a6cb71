"""What the gateway itself says to citizens (everything else comes from Rasa)."""

UNSUPPORTED = (
    "Maaf, {what} belum bisa kami terima. Silakan kirim pesan teks, foto, "
    "atau lokasi (fitur Lokasi/Share location) ya."
)
UNSUPPORTED_WHAT = {
    "sticker": "stiker",
    "voice": "pesan suara",
    "audio": "pesan suara",
    "video": "video",
    "document": "dokumen",
    "contact": "kontak",
    "poll": "polling",
    "reaction": "reaksi",
}
UNSUPPORTED_DEFAULT = "jenis pesan ini"

PHOTO_TOO_LARGE = (
    "Maaf, fotonya terlalu besar (maksimal {limit}). Coba kirim foto yang lebih kecil ya."
)
PHOTO_TOO_MANY_PIXELS = (
    "Maaf, dimensi gambarnya (lebar × tinggi) terlalu besar untuk kami proses. "
    "Coba kirim foto biasa dari kamera HP ya."
)
PHOTO_WRONG_TYPE = (
    "Maaf, file itu bukan foto yang bisa kami terima. Kirim foto JPG, PNG, atau WebP ya."
)
PHOTO_FAILED = (
    "Maaf, fotonya belum bisa kami simpan karena sistem sedang gangguan. "
    "Mohon kirim ulang fotonya beberapa menit lagi."
)
# The same words as utter_emergency (bot/domain/emergency.yml): sent by the
# gateway itself while a chat is handed off, when Rasa's NLU reads `emergency`.
EMERGENCY = (
    "Segera hubungi 112 (Jakarta Siaga 112: gratis, 24 jam). Kebakaran juga bisa 113, "
    "ambulans 118/119, polisi 110. Utamakan keselamatan Anda dan orang di sekitar."
)
BOT_DOWN = (
    "Maaf, layanan kami sedang gangguan sehingga pesan Anda belum terproses. "
    "Mohon kirim ulang pesan tersebut beberapa menit lagi."
)
FLOOD = (
    "Pesan Anda terlalu banyak dalam waktu singkat. Mohon tunggu sebentar, "
    "lalu kirim lagi ya. Pesan yang baru saja dikirim tidak kami proses."
)
SEND_LOCATION_BUTTON = "Kirim lokasi"
CHOOSE_LIST_BUTTON = "Pilih"
MORE_CHOICES = "Pilihan lainnya:"
CHOOSE_PROMPT = "Silakan pilih:"
OR_SEND_LOCATION = "Tekan tombol Kirim lokasi di bawah untuk membagikan lokasi Anda."
WA_SEND_LOCATION = "Bagikan lokasi Anda dengan tombol di bawah ini."
